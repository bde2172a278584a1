package dev.skiff.bench.store;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.PutRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One client's sequential puts (256-byte values, distinct keys) against several single
 * endpoints in turn, from one warm JVM: {@code bench/store/floor.sh}'s client. The targets take
 * turns, step by step, the order flipping each round, after a warm-up in 5 s slices; it prints
 * every step, then each target's medians and its ratio to the first target.
 *
 * <p>Usage: {@code SingleClientPuts <warm-up-seconds> <seconds-per-step> <rounds> <label>=<endpoint>...}
 */
public final class SingleClientPuts {
    private static final ByteString VALUE = ByteString.copyFrom(new byte[256]);
    private static final long SETTLE_MILLIS = 2000;
    private static final double WARMUP_SLICE_SECONDS = 5;

    private record Target(String label, ManagedChannel channel, KVGrpc.KVBlockingStub kv) {
    }

    /** Keys written so far: every put goes to a new key, as in StoreBench (main thread only). */
    private static long keys;

    private SingleClientPuts() {
    }

    public static void main(String[] args) throws InterruptedException {
        double warmup = Double.parseDouble(args[0]);
        double seconds = Double.parseDouble(args[1]);
        int rounds = Integer.parseInt(args[2]);
        List<Target> targets = new ArrayList<>();
        for (String spec : Arrays.asList(args).subList(3, args.length)) {
            int eq = spec.indexOf('=');
            ManagedChannel ch = NettyChannelBuilder.forTarget(spec.substring(eq + 1)).usePlaintext().build();
            targets.add(new Target(spec.substring(0, eq), ch, KVGrpc.newBlockingStub(ch)));
        }
        for (double done = 0; done < warmup; done += WARMUP_SLICE_SECONDS) {
            for (Target t : targets) {
                puts(t, WARMUP_SLICE_SECONDS);
            }
        }
        Map<String, List<StoreBench.Stats>> steps = new LinkedHashMap<>();
        targets.forEach(t -> steps.put(t.label(), new ArrayList<>()));
        System.out.printf("%-5s %-10s %9s %7s %7s%n", "round", "target", "puts/s", "p50ms", "p99ms");
        for (int r = 1; r <= rounds; r++) {
            for (Target t : r % 2 == 1 ? targets : targets.reversed()) {
                Thread.sleep(SETTLE_MILLIS);
                StoreBench.Stats s = puts(t, seconds);
                steps.get(t.label()).add(s);
                System.out.printf(Locale.ROOT, "%-5d %-10s %9.0f %7.3f %7.3f%n", r, t.label(), s.rate(), s.p50Micros() / 1e3, s.p99Micros() / 1e3);
            }
        }
        String first = targets.getFirst().label();
        double reference = median(steps.get(first), StoreBench.Stats::rate);
        System.out.printf("%nmedians of %d rounds%n%-10s %9s %7s %7s %10s%n", rounds, "target", "puts/s", "p50ms", "p99ms", "vs " + first);
        steps.forEach((label, list) -> System.out.printf(Locale.ROOT, "%-10s %9.0f %7.3f %7.3f %9.2fx%n", label,
                median(list, StoreBench.Stats::rate), median(list, st -> st.p50Micros() / 1e3),
                median(list, st -> st.p99Micros() / 1e3), median(list, StoreBench.Stats::rate) / reference));
        targets.forEach(t -> t.channel().shutdownNow());
    }

    private static StoreBench.Stats puts(Target t, double seconds) {
        long[] latencies = new long[1 << 16];
        int n = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        for (long t0 = start; t0 < end; ) {
            t.kv().put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("/floor/" + keys++))
                    .setValue(VALUE).build());
            long t1 = System.nanoTime();
            if (n == latencies.length) {
                latencies = Arrays.copyOf(latencies, n * 2);
            }
            latencies[n++] = t1 - t0;
            t0 = t1;
        }
        return StoreBench.stats(new long[][] {latencies}, new int[] {n}, (System.nanoTime() - start) / 1e9);
    }

    private static double median(List<StoreBench.Stats> steps, ToDoubleFunction<StoreBench.Stats> figure) {
        return ResultTable.median(steps.stream().mapToDouble(figure).toArray());
    }
}
