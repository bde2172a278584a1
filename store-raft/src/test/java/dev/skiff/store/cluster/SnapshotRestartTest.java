package dev.skiff.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.RangeRequest;
import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import dev.skiff.store.mvcc.KeyRange;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Members restarted on their data dirs come back from snapshot + log, and a lagging one from the leader's snapshot. */
class SnapshotRestartTest {
    @TempDir
    Path dir;

    private static void putAll(String endpoint, String prefix, int n) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(endpoint.replace("http://", "")).usePlaintext().build();
        try {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch);
            for (int i = 0; i < n; i++) {
                kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(prefix + i))
                        .setValue(ByteString.copyFromUtf8("v" + i)).build());
            }
        } finally {
            ch.shutdownNow();
        }
    }

    private static long count(String endpoint, String prefix) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(endpoint.replace("http://", "")).usePlaintext().build();
        try {
            ByteString p = ByteString.copyFromUtf8(prefix);
            return KVGrpc.newBlockingStub(ch).range(RangeRequest.newBuilder().setKey(p).setRangeEnd(KeyRange.prefixEnd(p))
                    .setCountOnly(true).setSerializable(true).build()).getCount();
        } finally {
            ch.shutdownNow();
        }
    }

    private static long snapshotFiles(Path dataDir) throws Exception {
        try (Stream<Path> s = Files.walk(dataDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("snapshot.") && !p.toString().endsWith(".md5")).count();
        }
    }

    @Test
    void singleMemberRestartsFromSnapshotAndLog() throws Exception {
        StoreConfig cfg = StoreConfig.singleNode(dir).withSnapshotThreshold(50);
        long revision;
        try (StoreNode first = StoreNode.start(cfg)) {
            putAll("http://" + first.clientEndpoint(), "/snap/", 130);
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshotFiles(dir) > 0);
            revision = first.revision();
        }
        try (StoreNode again = StoreNode.start(cfg)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> again.revision() == revision);
            assertThat(count("http://" + again.clientEndpoint(), "/snap/")).isEqualTo(130);
        }
    }

    @Test
    void laggingFollowerCatchesUpFromLeaderSnapshot() throws Exception {
        try (StoreCluster cluster = new StoreCluster(dir, 3, c -> c.withSnapshotThreshold(40)).start()) {
            StoreNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
            String follower = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow().name();
            cluster.kill(follower);
            putAll(cluster.endpoint(leader.name()), "/lag/", 150);
            await().atMost(Duration.ofSeconds(10)).until(() -> snapshotFiles(dir.resolve(leader.name())) > 0);
            StoreNode back = cluster.start(follower);
            long target = leader.revision();
            await().atMost(Duration.ofSeconds(40)).until(() -> back.revision() >= target);
            assertThat(count(cluster.endpoint(follower), "/lag/")).isEqualTo(150);
        }
    }
}
