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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One load against one or more etcd v3 endpoint sets, with the same client code for Skiff's store
 * and for etcd: plain gRPC stubs of the etcd API, one blocking call per virtual-thread
 * client, each request to the next of a few HTTP/2 connections per endpoint in turn.
 * Prints one {@code RESULT} line per measurement for bench/store/run.sh to compare.
 *
 * <p>The systems take turns, measurement by measurement, and the order flips at each (Skiff
 * then etcd, etcd then Skiff): this machine's speed drifts by up to 2x within minutes, and with
 * one system's whole table measured after the other's, a round often compared a slow stretch of
 * one with a fast stretch of the other (the ratio at 32 clients on three members went from 0.74x
 * to 2.03x between rounds of the same code).
 *
 * <p>Usage: {@code StoreBench <seconds-per-step> <warm-up-seconds> <label>=<endpoint,...>...}, the
 * systems with as many members each
 */
public final class StoreBench {
    private static final int VALUE_BYTES = 256;
    private static final ByteString VALUE = ByteString.copyFrom(new byte[VALUE_BYTES]);
    private static final int CONNS_PER_ENDPOINT = 4;
    /**
     * Idle time before each measurement, so that what a system still does after its load (a JVM's
     * compiles, a concurrent GC cycle) is not measured as the next system's.
     */
    private static final long SETTLE_MILLIS = 2000;
    private static final int WARMUP_SLICE_SECONDS = 5;
    private static final AtomicLong KEYS = new AtomicLong();
    private static final AtomicLong WATCH_STEPS = new AtomicLong();

    private StoreBench() {
    }

    record Stats(long ops, double seconds, long p50Micros, long p99Micros) {
        double rate() {
            return ops / seconds;
        }
    }

    /**
     * One system under test: its label ({@code system-members}), a few connections per endpoint
     * (endpoint-minor: channel k goes to endpoint k % endpoints, channel e is endpoint e's first),
     * and which endpoint leads.
     */
    private record Target(String label, List<ManagedChannel> channels, int endpoints, int leader) {
        static Target connect(String spec) {
            int eq = spec.indexOf('=');
            List<String> endpoints = Arrays.stream(spec.substring(eq + 1).split(","))
                    .map(s -> s.replace("http://", "")).toList();
            List<ManagedChannel> channels = new ArrayList<>();
            for (int i = 0; i < CONNS_PER_ENDPOINT; i++) {
                for (String e : endpoints) {
                    channels.add(NettyChannelBuilder.forTarget(e).usePlaintext().maxInboundMessageSize(16 << 20).build());
                }
            }
            KVGrpc.newBlockingStub(channels.get(0)).put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("/bench/range")).setValue(VALUE).build());
            return new Target(spec.substring(0, eq), channels, endpoints.size(), leaderIndex(channels, endpoints.size()));
        }
    }

    /** One reported measurement, run against each target in turn. */
    private record Step(String test, int clients, StepRun run) {
    }

    @FunctionalInterface
    private interface StepRun {
        Stats against(Target t) throws InterruptedException;
    }

    public static void main(String[] args) throws Exception {
        double seconds = Double.parseDouble(args[0]);
        double warmup = Double.parseDouble(args[1]);
        List<Target> targets = new ArrayList<>();
        try {
            for (int i = 2; i < args.length; i++) {
                targets.add(Target.connect(args[i]));
            }
            int endpoints = targets.getFirst().endpoints();
            List<Step> warmUp = warmUp(endpoints, warmup);
            for (int i = 0; i < warmUp.size(); i++) {
                for (Target t : inTurn(targets, i)) {
                    warmUp.get(i).run().against(t);
                }
            }
            List<Step> steps = steps(endpoints, seconds);
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                for (Target t : inTurn(targets, i)) {
                    Thread.sleep(SETTLE_MILLIS);
                    report(t.label(), step.test(), step.clients(), step.run().against(t));
                }
            }
        } finally {
            targets.forEach(t -> t.channels().forEach(ManagedChannel::shutdownNow));
        }
    }

    /** The order in which the systems take step {@code i}: it flips from one step to the next. */
    private static List<Target> inTurn(List<Target> targets, int i) {
        return i % 2 == 0 ? targets : targets.reversed();
    }

    /**
     * The reported measurements, in order: puts, linearizable gets, then sequential puts on the
     * leader each timed until a watcher sees it, on the leader and then on a follower (which
     * applies an entry only once it learns the commit index).
     */
    private static List<Step> steps(int endpoints, double seconds) {
        List<Step> steps = new ArrayList<>();
        for (int clients : new int[] {1, 32, 128}) {
            steps.add(new Step("put", clients, t -> run(t.channels(), clients, seconds, false, VALUE)));
        }
        steps.add(new Step("range-linearizable", 32, t -> run(t.channels(), 32, seconds, true, VALUE)));
        steps.add(new Step(endpoints == 1 ? "put-to-watch" : "put-to-watch-leader", 1,
                t -> watchLatency(t.channels(), t.leader(), t.leader(), VALUE, seconds)));
        if (endpoints > 1) {
            steps.add(new Step("put-to-watch-follower", 1,
                    t -> watchLatency(t.channels(), t.leader(), (t.leader() + 1) % t.endpoints(), VALUE, seconds)));
        }
        return steps;
    }

    /**
     * The unreported warm-up, the same for every system: the measured loads in rotation, in slices
     * of at most {@value #WARMUP_SLICE_SECONDS} s that the systems take in turn (so both end it warm at
     * about the same time). A JVM compiles each code path for the loads it has seen. With a warm-up
     * of 32 clients and each load once at its end, every change of load in the measured steps still
     * set off uncommon traps and C2 recompiles in Skiff's members (Ratis' appender, gRPC's HTTP/2
     * path): 120 s in, each member's compiler threads took up to a tenth of a core through the
     * first measured step, and 1-client puts on three members rose from 477 to 901-943/s over the
     * next 30 s of the same load. After a few passes through every load the profiles hold all of
     * them, and the measured steps run on code that stays compiled.
     */
    private static List<Step> warmUp(int endpoints, double seconds) {
        int loads = steps(endpoints, 0).size();
        double slice = Math.min(WARMUP_SLICE_SECONDS, seconds / loads);
        List<Step> each = steps(endpoints, slice);
        List<Step> slices = new ArrayList<>();
        for (int i = 0; i < Math.round(seconds / slice); i++) {
            slices.add(each.get(i % loads));
        }
        return slices;
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

    /**
     * Sequential puts on member {@code putAt} for {@code seconds}, each timed until a watcher on
     * member {@code watchAt} sees it. Timed like the other loads, not counted: with a fixed 1,000
     * puts the warm-up ran a JVM's watch path for under a second, still compiling when measured
     * (one member's p99 fell from 3.8 ms in the first 3,000-put step to 0.7-0.9 ms by the fourth),
     * and each p99 was the tenth-slowest of 1,000, decided by one stall anywhere on the machine.
     */
    static Stats watchLatency(List<ManagedChannel> channels, int putAt, int watchAt, ByteString value, double seconds)
            throws InterruptedException {
        ManagedChannel watchChannel = channels.get(watchAt);
        BlockingQueue<Long> seen = new LinkedBlockingQueue<>();
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
        long[] lat = new long[1 << 14];
        int n = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        for (long t0 = start; t0 < end; t0 = System.nanoTime()) {
            kv.put(PutRequest.newBuilder().setKey(prefix.concat(ByteString.copyFromUtf8(Integer.toString(n))))
                    .setValue(value).build());
            Long t1 = seen.poll(10, TimeUnit.SECONDS);
            if (n == lat.length) {
                lat = Arrays.copyOf(lat, lat.length * 2);
            }
            lat[n++] = (t1 == null ? System.nanoTime() : t1) - t0;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        req.onCompleted();
        return stats(new long[][] {lat}, new int[] {n}, elapsed);
    }

    static Stats stats(long[][] latencies, int[] counts, double seconds) {
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
