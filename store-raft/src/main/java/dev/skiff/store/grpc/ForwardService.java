package dev.skiff.store.grpc;

import dev.skiff.proto.etcd.ForwardGrpc;
import dev.skiff.proto.etcd.ForwardedAnswer;
import dev.skiff.proto.etcd.ForwardedBatch;
import dev.skiff.proto.etcd.InternalError;
import dev.skiff.proto.etcd.InternalRaftBatch;
import dev.skiff.proto.etcd.InternalRaftBatchResponse;
import dev.skiff.proto.etcd.InternalRaftRequest;
import dev.skiff.proto.etcd.InternalRaftResponse;
import dev.skiff.proto.etcd.ReadRevisionRequest;
import dev.skiff.proto.etcd.ReadRevisionResponse;
import dev.skiff.store.StoreError;
import dev.skiff.store.StoreException;
import dev.skiff.store.apply.RequestChecks;
import dev.skiff.store.raft.RaftGateway;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The leader's end of forwarding. {@code ProposeStream} (one stream per follower): proposes the
 * requests a follower batched, each checked again as if a client had sent it here, together
 * with this member's own writes, and answers each in order.
 * A member that does not lead refuses the whole batch with etcd's "not leader", so a request is
 * never passed on a second time.
 * {@code ReadRevision}: the revision a follower's linearizable reads must wait for
 * (see {@link RaftGateway#readRevision}).
 */
public final class ForwardService extends ForwardGrpc.ForwardImplBase {
    private final RaftGateway raft;
    private final RequestChecks checks;
    private final long maxRequestBytes;

    public ForwardService(RaftGateway raft, RequestChecks checks, long maxRequestBytes) {
        this.raft = raft;
        this.checks = checks;
        this.maxRequestBytes = maxRequestBytes;
    }

    /**
     * The followers' way in: batches arrive on one stream and are answered on it as they
     * commit, each answer under its batch's id. Answers complete on whichever thread
     * committed their entry, so sending is serialized on the stream's observer.
     */
    @Override
    public StreamObserver<ForwardedBatch> proposeStream(StreamObserver<ForwardedAnswer> out) {
        ServerCallStreamObserver<ForwardedAnswer> answers = (ServerCallStreamObserver<ForwardedAnswer>) out;
        return new StreamObserver<>() {
            @Override
            public void onNext(ForwardedBatch b) {
                answer(b.getBatch()).thenAccept(resp -> {
                    synchronized (answers) {
                        if (!answers.isCancelled()) {
                            answers.onNext(ForwardedAnswer.newBuilder().setId(b.getId()).setResponse(resp).build());
                        }
                    }
                });
            }

            @Override
            public void onError(Throwable t) {
                // the follower went away; writes already proposed still commit
            }

            @Override
            public void onCompleted() {
                synchronized (answers) {
                    if (!answers.isCancelled()) {
                        answers.onCompleted();
                    }
                }
            }
        };
    }

    /**
     * Proposes {@code batch}'s requests together, so they share log entries with each other
     * and this member's writes; completes with one outcome per request, in order.
     */
    private CompletableFuture<InternalRaftBatchResponse> answer(InternalRaftBatch batch) {
        List<CompletableFuture<InternalRaftResponse>> each = new ArrayList<>(batch.getRequestsCount());
        List<InternalRaftRequest> valid = new ArrayList<>(batch.getRequestsCount());
        List<Integer> validAt = new ArrayList<>(batch.getRequestsCount());
        boolean leads = raft.isLeader();
        for (InternalRaftRequest req : batch.getRequestsList()) {
            StoreException refused = leads ? check(req) : StoreError.NOT_LEADER.exception();
            if (refused == null) {
                validAt.add(each.size());
                valid.add(req);
            }
            each.add(refused == null ? null : CompletableFuture.failedFuture(refused));
        }
        List<CompletableFuture<InternalRaftResponse>> proposed = valid.isEmpty() ? List.of() : raft.proposeAll(valid);
        for (int i = 0; i < proposed.size(); i++) {
            each.set(validAt.get(i), proposed.get(i));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).handle((ignored, err) -> {
            InternalRaftBatchResponse.Builder b = InternalRaftBatchResponse.newBuilder();
            each.forEach(f -> b.addResponses(outcome(f)));
            return b.build();
        });
    }

    @Override
    public void readRevision(ReadRevisionRequest req, StreamObserver<ReadRevisionResponse> out) {
        Unary.reply(raft::readRevision, rev -> ReadRevisionResponse.newBuilder().setRevision(rev).build(), out);
    }

    /** Why {@code req} is refused, or null: the checks a client's request gets at any member. */
    private StoreException check(InternalRaftRequest req) {
        try {
            if (req.getSerializedSize() > maxRequestBytes) {
                throw StoreError.REQUEST_TOO_LARGE.exception();
            }
            switch (req.getRequestCase()) {
                case PUT -> checks.put(req.getPut());
                case DELETE_RANGE -> checks.deleteRange(req.getDeleteRange());
                case TXN -> checks.txn(req.getTxn());
                case BATCH, REQUEST_NOT_SET -> throw StoreError.INVALID_ARGUMENT.exception("etcdserver: empty or nested request");
                // members announce themselves through Raft only (RaftGateway.proposeMemberAttributes):
                // accepted here, anyone reaching a client port could redirect forwarded writes
                case MEMBER_ATTRIBUTES -> throw StoreError.INVALID_ARGUMENT.exception(
                        "etcdserver: member attributes are not accepted from a client endpoint");
                default -> {
                    // leases and compaction: a client may send these to any member
                }
            }
            return null;
        } catch (StoreException e) {
            return e;
        }
    }

    private static InternalRaftResponse outcome(CompletableFuture<InternalRaftResponse> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable t = e.getCause();
            StoreException se = t instanceof StoreException s ? s
                    : StoreError.TIMEOUT.exception("etcdserver: request failed at the leader: " + t);
            return InternalRaftResponse.newBuilder().setError(InternalError.newBuilder()
                    .setCode(se.error().name()).setMessage(se.getMessage())).build();
        }
    }
}
