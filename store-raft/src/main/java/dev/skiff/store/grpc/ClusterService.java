package dev.skiff.store.grpc;

import dev.skiff.proto.etcd.ClusterGrpc;
import dev.skiff.proto.etcd.Member;
import dev.skiff.proto.etcd.MemberAddRequest;
import dev.skiff.proto.etcd.MemberAddResponse;
import dev.skiff.proto.etcd.MemberAttributes;
import dev.skiff.proto.etcd.MemberListRequest;
import dev.skiff.proto.etcd.MemberListResponse;
import dev.skiff.proto.etcd.MemberRemoveRequest;
import dev.skiff.proto.etcd.MemberRemoveResponse;
import dev.skiff.store.StoreError;
import dev.skiff.store.raft.MemberIds;
import dev.skiff.store.raft.MemberRegistry;
import dev.skiff.store.raft.RaftGateway;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's Cluster service over Ratis membership: members are the peers of the current
 * Raft configuration, named by the attributes each member publishes. MemberAdd returns
 * at once (as etcd) and keeps asking Ratis to add the peer until the new member has
 * started and caught up; MemberRemove waits for the new configuration.
 */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterService.class);
    private static final int ADD_ATTEMPTS = 60;

    private final RaftGateway raft;
    private final MemberRegistry registry;

    public ClusterService(RaftGateway raft, MemberRegistry registry) {
        this.raft = raft;
        this.registry = registry;
    }

    @Override
    public void memberList(MemberListRequest r, StreamObserver<MemberListResponse> out) {
        out.onNext(MemberListResponse.newBuilder().setHeader(raft.stateMachine().header(0))
                .addAllMembers(members(currentPeers())).build());
        out.onCompleted();
    }

    @Override
    public void memberAdd(MemberAddRequest r, StreamObserver<MemberAddResponse> out) {
        Unary.reply(() -> {
            if (r.getPeerURLsCount() == 0) {
                throw StoreError.INVALID_ARGUMENT.exception("etcdserver: member add needs one peer URL");
            }
            String address = hostPort(r.getPeerURLs(0));
            List<RaftPeer> peers = currentPeers();
            if (peers.stream().anyMatch(p -> p.getAddress().equals(address))) {
                throw StoreError.PEER_URL_EXISTS.exception();
            }
            RaftPeer added = RaftPeer.newBuilder().setId(MemberIds.peerId(address)).setAddress(address).build();
            List<RaftPeer> next = new ArrayList<>(peers);
            next.add(added);
            Thread.ofVirtual().name("member-add").start(() -> addUntilJoined(next, address));
            return CompletableFuture.completedFuture(MemberAddResponse.newBuilder()
                    .setHeader(raft.stateMachine().header(0))
                    .setMember(member(added))
                    .addAllMembers(members(next)).build());
        }, x -> x, out);
    }

    @Override
    public void memberRemove(MemberRemoveRequest r, StreamObserver<MemberRemoveResponse> out) {
        Unary.reply(() -> {
            List<RaftPeer> peers = currentPeers();
            List<RaftPeer> next = new ArrayList<>(peers);
            if (!next.removeIf(p -> MemberIds.memberId(p.getId()) == r.getID())) {
                throw StoreError.MEMBER_NOT_FOUND.exception();
            }
            return CompletableFuture.supplyAsync(() -> {
                setConfiguration(next);
                return MemberRemoveResponse.newBuilder().setHeader(raft.stateMachine().header(0))
                        .addAllMembers(members(next)).build();
            }, r2 -> Thread.ofVirtual().start(r2));
        }, x -> x, out);
    }

    private void addUntilJoined(List<RaftPeer> next, String address) {
        for (int i = 0; i < ADD_ATTEMPTS; i++) {
            try {
                setConfiguration(next);
                LOG.info("member {} joined the group", address);
                return;
            } catch (RuntimeException e) {
                LOG.info("member {} not joined yet ({}), retrying", address, e.getMessage());
            }
        }
        LOG.warn("member {} never joined; giving up", address);
    }

    private void setConfiguration(List<RaftPeer> peers) {
        try {
            RaftClientReply reply = raft.client().admin().setConfiguration(peers);
            if (!reply.isSuccess()) {
                throw StoreError.TIMEOUT.exception("etcdserver: reconfiguration failed: " + reply.getException());
            }
        } catch (IOException e) {
            throw StoreError.TIMEOUT.exception("etcdserver: reconfiguration failed: " + e.getMessage());
        }
    }

    private List<RaftPeer> currentPeers() {
        return new ArrayList<>(raft.division().getRaftConf().getCurrentPeers());
    }

    private List<Member> members(List<RaftPeer> peers) {
        return peers.stream().map(this::member).toList();
    }

    private Member member(RaftPeer p) {
        long id = MemberIds.memberId(p.getId());
        Member.Builder m = Member.newBuilder().setID(id).addPeerURLs("http://" + p.getAddress());
        MemberAttributes a = registry.get(id);
        if (a != null) {
            m.setName(a.getName()).addAllClientURLs(a.getClientUrlsList());
        }
        return m.build();
    }

    static String hostPort(String url) {
        String s = url.replaceFirst("^[a-z]+://", "");
        int slash = s.indexOf('/');
        return slash >= 0 ? s.substring(0, slash) : s;
    }
}
