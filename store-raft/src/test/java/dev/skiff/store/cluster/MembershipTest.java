package dev.skiff.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.ClusterGrpc;
import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.Member;
import dev.skiff.proto.etcd.MemberAddRequest;
import dev.skiff.proto.etcd.MemberListRequest;
import dev.skiff.proto.etcd.MemberRemoveRequest;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.RangeRequest;
import dev.skiff.store.StoreNode;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** etcd's MemberAdd and MemberRemove on a real group: a member joins, catches up and serves; one leaves. */
class MembershipTest {
    @TempDir
    Path dir;

    @Test
    void aMemberIsAddedCatchesUpAndAnotherIsRemoved() throws Exception {
        try (StoreCluster cluster = new StoreCluster(dir, 3, c -> c).start()) {
            StoreNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
            ManagedChannel ch = channel(cluster.endpoint(leader.name()));
            try {
                var kv = KVGrpc.newBlockingStub(ch);
                for (int i = 0; i < 20; i++) {
                    kv.put(PutRequest.newBuilder().setKey(bytes("/m/" + i)).setValue(bytes("v")).build());
                }
                var members = ClusterGrpc.newBlockingStub(ch);
                String peer = cluster.newMember("m4");
                var added = members.memberAdd(MemberAddRequest.newBuilder().addPeerURLs("http://" + peer).build());
                assertThat(added.getMembersCount()).isEqualTo(4);

                StoreNode m4 = cluster.start("m4");
                await().atMost(Duration.ofSeconds(60)).until(() -> m4.revision() == leader.revision()
                        && members.memberList(MemberListRequest.getDefaultInstance()).getMembersCount() == 4);
                ManagedChannel ch4 = channel(cluster.endpoint("m4"));
                try {
                    // the new member serves reads of what it caught up on, and writes
                    var kv4 = KVGrpc.newBlockingStub(ch4);
                    assertThat(kv4.range(RangeRequest.newBuilder().setKey(bytes("/m/")).setRangeEnd(bytes("/m0")).build())
                            .getCount()).isEqualTo(20);
                    kv4.put(PutRequest.newBuilder().setKey(bytes("/m/from-m4")).setValue(bytes("v")).build());
                } finally {
                    ch4.shutdownNow();
                }

                StoreNode removed = cluster.nodes().stream().filter(n -> n != leader && n != m4).findFirst().orElseThrow();
                var after = members.memberRemove(MemberRemoveRequest.newBuilder().setID(removed.memberId()).build());
                assertThat(after.getMembersList()).extracting(Member::getID).doesNotContain(removed.memberId()).hasSize(3);
                cluster.kill(removed.name());
                // three members remain, two of them needed: writes still commit
                kv.put(PutRequest.newBuilder().setKey(bytes("/m/after-remove")).setValue(bytes("v")).build());
                assertThat(kv.range(RangeRequest.newBuilder().setKey(bytes("/m/after-remove")).build()).getCount())
                        .isEqualTo(1);
            } finally {
                ch.shutdownNow();
            }
        }
    }

    private static ManagedChannel channel(String url) {
        return NettyChannelBuilder.forTarget(url.replace("http://", "")).usePlaintext().build();
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
