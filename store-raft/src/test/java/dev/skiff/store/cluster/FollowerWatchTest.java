package dev.skiff.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.WatchCreateRequest;
import dev.skiff.proto.etcd.WatchGrpc;
import dev.skiff.proto.etcd.WatchRequest;
import dev.skiff.proto.etcd.WatchResponse;
import dev.skiff.store.StoreNode;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watcher on a follower sees a write made through the leader promptly: the follower must
 * learn the new commit index right after the leader does, not with the next heartbeat
 * (half the default election timeout, ~500 ms), which is when it would otherwise apply. Also
 * when it learns it while the leader still awaits the other follower's reply.
 */
class FollowerWatchTest {
    private static final int SAMPLES = 40;

    @TempDir
    Path dir;

    @Test
    void aFollowersWatcherSeesALoneWriteWellBeforeTheNextHeartbeat() throws Exception {
        onLeaderAndFollower((atLeader, atFollower) -> {
            BlockingQueue<Long> seen = new LinkedBlockingQueue<>();
            StreamObserver<WatchRequest> watch = watchPrefix(atFollower, "/w/", seen);

            var kv = KVGrpc.newBlockingStub(atLeader);
            long[] millis = new long[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                long t0 = System.nanoTime();
                kv.put(PutRequest.newBuilder().setKey(bytes("/w/" + i)).setValue(bytes("v")).build());
                Long t1 = seen.poll(10, TimeUnit.SECONDS);
                assertThat(t1).as("event for put %d", i).isNotNull();
                millis[i] = (t1 - t0) / 1_000_000;
                if (i % 2 == 0) {
                    Thread.sleep(50); // a lone write, not a stream that carries commits along
                } // else the next put follows at once, while the other follower may still owe a reply
            }
            Arrays.sort(millis);
            assertThat(millis[SAMPLES * 9 / 10]).as("90th percentile put-to-event on the follower, ms: %s",
                    Arrays.toString(millis)).isLessThan(250);
            watch.onCompleted();
        });
    }

    /**
     * Under load the leader pushes no commit while its next entry follows at once (that entry's
     * append carries the commit index); the last entry of a burst has none after it and must
     * still reach a follower promptly.
     */
    @Test
    void theLastWriteOfABurstReachesAFollowersWatcherPromptly() throws Exception {
        onLeaderAndFollower((atLeader, atFollower) -> {
            BlockingQueue<Long> seen = new LinkedBlockingQueue<>();
            StreamObserver<WatchRequest> watch = watchPrefix(atFollower, "/b/", seen);
            var kv = KVGrpc.newBlockingStub(atLeader);
            for (int burst = 0; burst < 5; burst++) {
                int b = burst;
                Thread[] writers = new Thread[16];
                for (int w = 0; w < writers.length; w++) {
                    int id = w;
                    writers[w] = Thread.ofVirtual().start(() -> {
                        for (int i = 0; i < 10; i++) {
                            kv.put(PutRequest.newBuilder().setKey(bytes("/b/" + b + "/" + id + "/" + i))
                                    .setValue(bytes("v")).build());
                        }
                    });
                }
                for (Thread w : writers) {
                    w.join();
                }
                long acked = System.nanoTime();
                for (int e = 0; e < writers.length * 10; e++) {
                    assertThat(seen.poll(10, TimeUnit.SECONDS)).as("event %d of burst %d", e, b).isNotNull();
                }
                long lastSeen = System.nanoTime();
                assertThat((lastSeen - acked) / 1_000_000).as("ms from the burst's last ack to its last event on the follower")
                        .isLessThan(250);
                Thread.sleep(50);
            }
            watch.onCompleted();
        });
    }

    private interface LeaderAndFollower {
        void run(ManagedChannel atLeader, ManagedChannel atFollower) throws Exception;
    }

    /** Three members with production election timeouts (1-2 s): a heartbeat-bound follower would take ~500 ms. */
    private void onLeaderAndFollower(LeaderAndFollower body) throws Exception {
        try (StoreCluster cluster = new StoreCluster(dir, 3, c -> c).start()) {
            StoreNode leader = cluster.awaitLeader(Duration.ofSeconds(30));
            StoreNode follower = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
            ManagedChannel atLeader = channel(cluster.endpoint(leader.name()));
            ManagedChannel atFollower = channel(cluster.endpoint(follower.name()));
            try {
                body.run(atLeader, atFollower);
            } finally {
                atLeader.shutdownNow();
                atFollower.shutdownNow();
            }
        }
    }

    private static StreamObserver<WatchRequest> watchPrefix(ManagedChannel ch, String prefix, BlockingQueue<Long> seen)
            throws InterruptedException {
        CountDownLatch created = new CountDownLatch(1);
        StreamObserver<WatchRequest> watch = WatchGrpc.newStub(ch).watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                if (r.getCreated()) {
                    created.countDown();
                }
                r.getEventsList().forEach(e -> seen.add(System.nanoTime()));
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        String end = prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1);
        watch.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(bytes(prefix)).setRangeEnd(bytes(end))).build());
        assertThat(created.await(10, TimeUnit.SECONDS)).isTrue();
        return watch;
    }

    private static ManagedChannel channel(String url) {
        return NettyChannelBuilder.forTarget(url.replace("http://", "")).usePlaintext().build();
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
