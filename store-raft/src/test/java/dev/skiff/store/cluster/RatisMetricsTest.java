package dev.skiff.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.store.metrics.CountingMetricRegistry;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import org.apache.ratis.metrics.MetricRegistries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A running member's Ratis metrics land in Skiff's counting registries. */
class RatisMetricsTest {
    @TempDir
    Path dir;

    @Test
    void everyLogFlushOfAMemberIsTimed() {
        try (StoreCluster cluster = new StoreCluster(dir, 1, c -> c).start()) {
            ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.endpoint("m1").replace("http://", ""))
                    .usePlaintext().build();
            try {
                KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch);
                for (int i = 0; i < 20; i++) {
                    kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("/metrics/" + i))
                            .setValue(ByteString.copyFromUtf8("v")).build());
                }
            } finally {
                ch.shutdownNow();
            }
            // the member's log registry (those of members closed by earlier tests are gone)
            CountingMetricRegistry.TimerTotals flushes = MetricRegistries.global().getMetricRegistries().stream()
                    .map(CountingMetricRegistry.class::cast)
                    .map(r -> r.timers().get("flushTime"))
                    .filter(t -> t != null && t.count() >= 20)
                    .findFirst().orElseThrow(() -> new AssertionError("no log registry of m1 with 20 flushes"));
            assertThat(flushes.totalNanos()).isGreaterThanOrEqualTo(flushes.maxNanos()).isPositive();
        }
    }
}
