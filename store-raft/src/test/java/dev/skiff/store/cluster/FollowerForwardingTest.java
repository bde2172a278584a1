package dev.skiff.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.ForwardGrpc;
import dev.skiff.proto.etcd.ForwardedAnswer;
import dev.skiff.proto.etcd.ForwardedBatch;
import dev.skiff.proto.etcd.InternalRaftBatch;
import dev.skiff.proto.etcd.InternalRaftBatchResponse;
import dev.skiff.proto.etcd.InternalRaftRequest;
import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.RangeRequest;
import dev.skiff.proto.etcd.ReadRevisionRequest;
import dev.skiff.proto.etcd.TxnRequest;
import dev.skiff.store.StoreNode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes sent to a follower go to the leader's endpoint and come back as etcd answers them. */
class FollowerForwardingTest {
    @TempDir
    Path dir;

    @Test
    void followerForwardsWritesAndTheyAreVisibleThere() throws Exception {
        try (StoreCluster cluster = new StoreCluster(dir, 3, c -> c).start()) {
            StoreNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
            StoreNode follower = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            ManagedChannel ch = channel(cluster.endpoint(follower.name()));
            try {
                var kv = KVGrpc.newBlockingStub(ch);
                // concurrent puts through the follower: batched, forwarded, each answered
                List<CompletableFuture<Long>> revs = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    String key = "/fwd/" + i;
                    revs.add(CompletableFuture.supplyAsync(() -> kv.put(put(key, "v")).getHeader().getRevision(),
                            r -> Thread.ofVirtual().start(r)));
                }
                List<Long> got = revs.stream().map(CompletableFuture::join).sorted().toList();
                assertThat(got).doesNotHaveDuplicates().hasSize(50);
                // a linearizable read at the follower sees every acknowledged write
                var range = kv.range(RangeRequest.newBuilder().setKey(bytes("/fwd/")).setRangeEnd(bytes("/fwd0")).build());
                assertThat(range.getCount()).isEqualTo(50);
                assertThat(range.getHeader().getRevision()).isGreaterThanOrEqualTo(got.get(49));
                // an error decided by the leader reaches the client with etcd's code and message
                assertThatThrownBy(() -> kv.put(put("/fwd/leased", "v").toBuilder().setLease(12345).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                            assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: requested lease not found");
                        });
                // a bad request is refused before it travels
                assertThatThrownBy(() -> kv.txn(TxnRequest.newBuilder().addSuccess(
                        dev.skiff.proto.etcd.RequestOp.newBuilder().setRequestPut(put("", "v"))).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
                // the follower answers once the leader has applied a write; a serializable read
                // there right after must still show it (it waits for this member's apply)
                for (int i = 0; i < 200; i++) {
                    long rev = kv.put(put("/ryw/k", "v" + i)).getHeader().getRevision();
                    var read = kv.range(RangeRequest.newBuilder().setKey(bytes("/ryw/k")).setSerializable(true).build());
                    assertThat(read.getKvs(0).getValue().toStringUtf8()).isEqualTo("v" + i);
                    assertThat(read.getHeader().getRevision()).isGreaterThanOrEqualTo(rev);
                }
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void linearizableReadsAtAFollowerSeeEveryWriteTheLeaderAcknowledged() throws Exception {
        try (StoreCluster cluster = new StoreCluster(dir, 3, c -> c).start()) {
            StoreNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
            List<StoreNode> followers = cluster.nodes().stream().filter(n -> n != leader).toList();
            ManagedChannel toLeader = channel(cluster.endpoint(leader.name()));
            List<ManagedChannel> toFollowers = followers.stream().map(f -> channel(cluster.endpoint(f.name()))).toList();
            try {
                var leaderKv = KVGrpc.newBlockingStub(toLeader);
                // a follower learns of each commit a little after the leader answers: a read that
                // did not wait for the leader's revision would see the previous value
                for (int i = 0; i < 200; i++) {
                    long rev = leaderKv.put(put("/lin/k", "v" + i)).getHeader().getRevision();
                    var range = KVGrpc.newBlockingStub(toFollowers.get(i % 2))
                            .range(RangeRequest.newBuilder().setKey(bytes("/lin/k")).build());
                    assertThat(range.getKvs(0).getValue().toStringUtf8()).isEqualTo("v" + i);
                    assertThat(range.getHeader().getRevision()).isGreaterThanOrEqualTo(rev);
                }
                // the revision a read must see comes from the leader; another member refuses to say
                long last = leaderKv.range(RangeRequest.newBuilder().setKey(bytes("/lin/k")).build()).getHeader().getRevision();
                assertThat(ForwardGrpc.newBlockingStub(toLeader).readRevision(ReadRevisionRequest.getDefaultInstance())
                        .getRevision()).isEqualTo(last);
                assertThatThrownBy(() -> ForwardGrpc.newBlockingStub(toFollowers.get(0))
                        .readRevision(ReadRevisionRequest.getDefaultInstance()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                            assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: not leader");
                        });
            } finally {
                toLeader.shutdownNow();
                toFollowers.forEach(ManagedChannel::shutdownNow);
            }
        }
    }

    @Test
    void aMemberThatDoesNotLeadRefusesForwardedWrites() throws Exception {
        try (StoreCluster cluster = new StoreCluster(dir, 3, c -> c).start()) {
            StoreNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
            StoreNode follower = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            ManagedChannel ch = channel(cluster.endpoint(follower.name()));
            try {
                InternalRaftBatchResponse r = proposeOnStream(ch, InternalRaftBatch.newBuilder()
                        .addRequests(InternalRaftRequest.newBuilder().setPut(put("/fwd/x", "v"))).build());
                assertThat(r.getResponsesCount()).isEqualTo(1);
                assertThat(r.getResponses(0).getError().getCode()).isEqualTo("NOT_LEADER");
                // and nothing was written
                var range = KVGrpc.newBlockingStub(ch).range(RangeRequest.newBuilder().setKey(bytes("/fwd/x")).build());
                assertThat(range.getCount()).isZero();
            } finally {
                ch.shutdownNow();
            }
        }
    }

    @Test
    void theLeaderRefusesMemberAttributesSentToItsClientEndpoint() throws Exception {
        try (StoreCluster cluster = new StoreCluster(dir, 3, c -> c).start()) {
            StoreNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
            ManagedChannel ch = channel(cluster.endpoint(leader.name()));
            try {
                InternalRaftBatchResponse r = proposeOnStream(ch, InternalRaftBatch.newBuilder()
                        .addRequests(InternalRaftRequest.newBuilder().setMemberAttributes(
                                dev.skiff.proto.etcd.MemberAttributes.newBuilder().setMemberId(leader.memberId())
                                        .setName("hijack").addClientUrls("http://10.9.9.9:1")))
                        .addRequests(InternalRaftRequest.newBuilder().setPut(put("/fwd/ok", "v"))).build());
                assertThat(r.getResponses(0).getError().getCode()).isEqualTo("INVALID_ARGUMENT");
                assertThat(r.getResponses(1).hasPut()).isTrue();
                var members = dev.skiff.proto.etcd.ClusterGrpc.newBlockingStub(ch)
                        .memberList(dev.skiff.proto.etcd.MemberListRequest.getDefaultInstance());
                assertThat(members.getMembersList()).extracting(dev.skiff.proto.etcd.Member::getName)
                        .doesNotContain("hijack");
            } finally {
                ch.shutdownNow();
            }
        }
    }

    /** Sends one batch the way followers do (one message on {@code Forward/ProposeStream}) and waits for its answer. */
    private static InternalRaftBatchResponse proposeOnStream(ManagedChannel ch, InternalRaftBatch batch) throws Exception {
        CompletableFuture<InternalRaftBatchResponse> answer = new CompletableFuture<>();
        StreamObserver<ForwardedBatch> out = ForwardGrpc.newStub(ch).proposeStream(new StreamObserver<>() {
            @Override
            public void onNext(ForwardedAnswer a) {
                answer.complete(a.getId() == 7 ? a.getResponse() : null);
            }

            @Override
            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(new AssertionError("stream ended without an answer"));
            }
        });
        out.onNext(ForwardedBatch.newBuilder().setId(7).setBatch(batch).build());
        try {
            return answer.get(30, TimeUnit.SECONDS);
        } finally {
            out.onCompleted();
        }
    }

    private static ManagedChannel channel(String url) {
        return NettyChannelBuilder.forTarget(url.replace("http://", "")).usePlaintext().build();
    }

    private static PutRequest put(String key, String value) {
        return PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build();
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
