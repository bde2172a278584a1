package dev.skiff.store.grpc;

import dev.skiff.proto.etcd.InternalQuery;
import dev.skiff.proto.etcd.InternalRaftRequest;
import dev.skiff.proto.etcd.InternalRaftResponse;
import dev.skiff.proto.etcd.LeaseGrantRequest;
import dev.skiff.proto.etcd.LeaseGrantResponse;
import dev.skiff.proto.etcd.LeaseGrpc;
import dev.skiff.proto.etcd.LeaseKeepAliveRequest;
import dev.skiff.proto.etcd.LeaseKeepAliveResponse;
import dev.skiff.proto.etcd.LeaseLeasesRequest;
import dev.skiff.proto.etcd.LeaseLeasesResponse;
import dev.skiff.proto.etcd.LeaseRevokeRequest;
import dev.skiff.proto.etcd.LeaseRevokeResponse;
import dev.skiff.proto.etcd.LeaseTimeToLiveRequest;
import dev.skiff.proto.etcd.LeaseTimeToLiveResponse;
import dev.skiff.store.StoreError;
import dev.skiff.store.StoreException;
import dev.skiff.store.raft.RaftGateway;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.util.concurrent.CompletionException;

/**
 * etcd's Lease service. Grant and revoke go through the Raft log (a grant with ID 0 gets
 * a random positive ID chosen here, so the log entry is deterministic); keep-alive and
 * time-to-live are answered by the leader, which alone tracks expiry.
 */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {
    private final RaftGateway raft;
    private final SecureRandom random = new SecureRandom();

    public LeaseService(RaftGateway raft) {
        this.raft = raft;
    }

    @Override
    public void leaseGrant(LeaseGrantRequest r, StreamObserver<LeaseGrantResponse> out) {
        LeaseGrantRequest withId = r.getID() != 0 ? r : r.toBuilder().setID(randomId()).build();
        Unary.reply(() -> raft.propose(InternalRaftRequest.newBuilder().setLeaseGrant(withId).build()),
                InternalRaftResponse::getLeaseGrant, out);
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest r, StreamObserver<LeaseRevokeResponse> out) {
        Unary.reply(() -> raft.propose(InternalRaftRequest.newBuilder().setLeaseRevoke(r).build()),
                InternalRaftResponse::getLeaseRevoke, out);
    }

    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest r, StreamObserver<LeaseTimeToLiveResponse> out) {
        Unary.reply(() -> raft.leaderQuery(InternalQuery.newBuilder().setLeaseTimeToLive(r).build()),
                InternalRaftResponse::getLeaseTimeToLive, out);
    }

    @Override
    public void leaseLeases(LeaseLeasesRequest r, StreamObserver<LeaseLeasesResponse> out) {
        Unary.reply(() -> raft.readLinearizable(InternalQuery.newBuilder().setLeaseLeases(r).build()),
                InternalRaftResponse::getLeaseLeases, out);
    }

    /** Each request is answered in order; an unknown lease gets TTL 0, as etcd does. */
    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> out) {
        return new StreamObserver<>() {
            private final Object lock = new Object();
            private boolean done;

            @Override
            public void onNext(LeaseKeepAliveRequest req) {
                raft.leaderQuery(InternalQuery.newBuilder().setLeaseKeepAlive(req).build()).whenComplete((resp, err) -> {
                    synchronized (lock) {
                        if (done) {
                            return;
                        }
                        if (err == null) {
                            out.onNext(resp.getLeaseKeepAlive());
                        } else if (unwrap(err) instanceof StoreException se && se.error() == StoreError.LEASE_NOT_FOUND) {
                            out.onNext(LeaseKeepAliveResponse.newBuilder()
                                    .setHeader(raft.stateMachine().header(0)).setID(req.getID()).setTTL(0).build());
                        } else {
                            done = true;
                            out.onError(ErrorMapper.toStatus(err));
                        }
                    }
                });
            }

            @Override
            public void onError(Throwable t) {
                synchronized (lock) {
                    done = true;
                }
            }

            @Override
            public void onCompleted() {
                synchronized (lock) {
                    if (!done) {
                        done = true;
                        out.onCompleted();
                    }
                }
            }
        };
    }

    private long randomId() {
        long id;
        do {
            id = random.nextLong() & Long.MAX_VALUE;
        } while (id == 0);
        return id;
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
