package dev.skiff.bench.store;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.MaintenanceGrpc;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.RangeRequest;
import dev.skiff.proto.etcd.StatusRequest;
import dev.skiff.proto.etcd.StatusResponse;
import dev.skiff.proto.etcd.WatchCreateRequest;
import dev.skiff.proto.etcd.WatchGrpc;
import dev.skiff.proto.etcd.WatchRequest;
import dev.skiff.proto.etcd.WatchResponse;
import dev.skiff.proto.etcd.mvcc.Event;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load against any etcd v3 endpoint set, with the same client code for Skiff's store
 * and for etcd: plain gRPC stubs of the etcd API, one blocking call per virtual-thread
 * client, each request to the next of a few HTTP/2 connections per endpoint in turn.
 * Prints one {@code RESULT} line per measurement for bench/store/run.sh to compare.
 *
 * <p>Usage: {@code StoreBench <label> <endpoint,endpoint,...> [seconds-per-step] [warm-up-seconds]}
 */
public final class StoreBench {
    private static final int VALUE_BYTES = 256;
    private static final int CONNS_PER_ENDPOINT = 4;
    private static final AtomicLong KEYS = new AtomicLong();
    private static final AtomicLong WATCH_STEPS = new AtomicLong();

    private StoreBench() {
    }

    record Stats(long ops, double seconds, long p50Micros, long p99Micros) {
        double rate() {
            return ops / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        String label = args[0];
        List<String> endpoints = Arrays.stream(args[1].split(",")).map(s -> s.replace("http://", "")).toList();
        double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 5;
        double warmup = args.length > 3 ? Double.parseDouble(args[3]) : 2;
        List<ManagedChannel> channels = new ArrayList<>();
        // endpoint-minor: channel k goes to endpoint k % endpoints, channel e is endpoint e's first
        for (int i = 0; i < CONNS_PER_ENDPOINT; i++) {
            for (String e : endpoints) {
                channels.add(NettyChannelBuilder.forTarget(e).usePlaintext().maxInboundMessageSize(16 << 20).build());
            }
        }
        try {
            ByteString value = ByteString.copyFrom(new byte[VALUE_BYTES]);
            KVGrpc.newBlockingStub(channels.get(0)).put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("/bench/range")).setValue(value).build());
            int leader = leaderIndex(channels, endpoints.size());
            warmUp(channels, leader, endpoints.size(), warmup, value);
            for (int clients : new int[] {1, 32, 128}) {
                report(label, "put", clients, run(channels, clients, seconds, false, value));
            }
            report(label, "range-linearizable", 32, run(channels, 32, seconds, true, value));
            watchSteps(channels, leader, endpoints.size(), value).forEach((test, s) -> report(label, test, 1, s));
        } finally {
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    /**
     * The unreported warm-up, the same for every system: mostly 32 clients, then each measured load
     * once, shorter. A JVM compiles a code path when it is first used: with a warm-up at 32 clients
     * only, Skiff's 1-client step ran right after it on code compiled for large batches (1-client puts
     * 4.9 ms p50 in its first seconds, 2.4 ms from the second pass on), and its watch steps ran the
     * watch path for the first time.
     */
    private static void warmUp(List<ManagedChannel> channels, int leader, int endpoints, double seconds, ByteString value)
            throws InterruptedException {
        double each = Math.min(10, seconds / 8);
        run(channels, 32, seconds - 3 * each, false, value);
        run(channels, 1, each, false, value);
        run(channels, 128, each, false, value);
        run(channels, 32, each, true, value);
        watchSteps(channels, leader, endpoints, value);
    }

    /**
     * The put→watch measurements by name: puts on the leader; the watcher on the leader, then
     * on a follower (it applies an entry only once it learns the commit index). 1,000 samples
     * each, so that the p99 is the tenth-slowest put: with 100 it was the slowest, and one
     * stall anywhere on the machine decided it (runs of the same code gave 7 and 28 ms).
     */
    private static final int WATCH_SAMPLES = 1000;

    private static Map<String, Stats> watchSteps(List<ManagedChannel> channels, int leader, int endpoints,
                                                 ByteString value) throws InterruptedException {
        Map<String, Stats> steps = new LinkedHashMap<>();
        steps.put(endpoints == 1 ? "put-to-watch" : "put-to-watch-leader", watchLatency(channels, leader, leader, value, WATCH_SAMPLES));
        if (endpoints > 1) {
            steps.put("put-to-watch-follower", watchLatency(channels, leader, (leader + 1) % endpoints, value, WATCH_SAMPLES));
        }
        return steps;
    }

    private static void report(String label, String test, int clients, Stats s) {
        System.out.printf(Locale.ROOT, "RESULT %s %s %d %.0f %.2f %.2f%n", label, test, clients, s.rate(),
                s.p50Micros() / 1000.0, s.p99Micros() / 1000.0);
    }

    /** {@code clients} closed-loop clients for {@code seconds}: puts to distinct keys, or linearizable gets. */
    static Stats run(List<ManagedChannel> channels, int clients, double seconds, boolean ranges, ByteString value)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        Thread[] threads = new Thread[clients];
        KVGrpc.KVBlockingStub[] stubs = channels.stream().map(KVGrpc::newBlockingStub).toArray(KVGrpc.KVBlockingStub[]::new);
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads[c] = Thread.ofVirtual().start(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                while (!stop.get()) {
                    // each request to the next endpoint: every member gets the same share of the load,
                    // and one client's figure does not depend on whether the first endpoint leads
                    KVGrpc.KVBlockingStub kv = stubs[(id + n) % stubs.length];
                    long t0 = System.nanoTime();
                    if (ranges) {
                        kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("/bench/range")).build());
                    } else {
                        kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(
                                "/bench/k/" + KEYS.incrementAndGet())).setValue(value).build());
                    }
                    if (n == lat.length) {
                        lat = Arrays.copyOf(lat, lat.length * 2);
                    }
                    lat[n++] = System.nanoTime() - t0;
                }
                latencies[id] = lat;
                counts[id] = n;
            });
        }
        long start = System.nanoTime();
        Thread.sleep((long) (seconds * 1000));
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return stats(latencies, counts, elapsed);
    }

    /** The index of the endpoint that leads (etcd's Status: leader equals the member's own id), else 0. */
    static int leaderIndex(List<ManagedChannel> channels, int endpoints) {
        for (int i = 0; i < endpoints; i++) {
            StatusResponse s = MaintenanceGrpc.newBlockingStub(channels.get(i))
                    .status(StatusRequest.getDefaultInstance());
            if (s.getLeader() == s.getHeader().getMemberId()) {
                return i;
            }
        }
        return 0;
    }

    /** Sequential puts on member {@code putAt}, each timed until a watcher on member {@code watchAt} sees it. */
    static Stats watchLatency(List<ManagedChannel> channels, int putAt, int watchAt, ByteString value, int samples)
            throws InterruptedException {
        ManagedChannel watchChannel = channels.get(watchAt);
        BlockingQueue<Long> seen = new ArrayBlockingQueue<>(samples * 2);
        AtomicBoolean created = new AtomicBoolean();
        StreamObserver<WatchRequest> req = WatchGrpc.newStub(watchChannel).watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                if (r.getCreated()) {
                    created.set(true);
                }
                long now = System.nanoTime();
                for (Event e : r.getEventsList()) {
                    seen.offer(now);
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        // a prefix of its own per step: a watcher created on a member that has not yet applied the
        // previous step's last puts would otherwise get their events as this step's, and every
        // sample after would be timed by the event of the put before it (etcd's follower step once
        // reported a p50 of 0.06 ms that way)
        String step = "/bench/watch/" + WATCH_STEPS.incrementAndGet();
        ByteString prefix = ByteString.copyFromUtf8(step + "/");
        req.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(prefix).setRangeEnd(ByteString.copyFromUtf8(step + "0"))).build());
        while (!created.get()) {
            Thread.sleep(10);
        }
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channels.get(putAt));
        long[] lat = new long[samples];
        long start = System.nanoTime();
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            kv.put(PutRequest.newBuilder().setKey(prefix.concat(ByteString.copyFromUtf8(Integer.toString(i))))
                    .setValue(value).build());
            Long t1 = seen.poll(10, TimeUnit.SECONDS);
            lat[i] = (t1 == null ? System.nanoTime() : t1) - t0;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        req.onCompleted();
        return stats(new long[][] {lat}, new int[] {samples}, elapsed);
    }

    private static Stats stats(long[][] latencies, int[] counts, double seconds) {
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int i = 0; i < latencies.length; i++) {
            System.arraycopy(latencies[i], 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        long p50 = total == 0 ? 0 : all[(int) (total * 0.50)] / 1000;
        long p99 = total == 0 ? 0 : all[Math.min(total - 1, (int) (total * 0.99))] / 1000;
        return new Stats(total, seconds, p50, p99);
    }
}
