package dev.skiff.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Prints bench/store/run.sh's comparison table from {@link StoreBench}'s {@code RESULT} lines:
 * per member count and measurement, Skiff's figures beside etcd's and their ratios. When the
 * run repeated the table (ROUNDS), each figure is the median of its rounds, so that one round
 * caught by the machine's drift does not decide a ratio; the rounds themselves are in the file.
 *
 * <p>Usage: {@code ResultTable <results-file> <member-count>...}
 */
public final class ResultTable {
    private ResultTable() {
    }

    /** One measurement: a test at a client count, on a number of members. */
    private record Measurement(String members, String test, String clients) {
    }

    /** One measurement's figures in each round, for one system. */
    private record Samples(List<Double> rates, List<Double> p50s, List<Double> p99s) {
        Samples() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    public static void main(String[] args) throws IOException {
        // measurement -> system -> samples, in the order measured
        Map<Measurement, Map<String, Samples>> results = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 7 || !f[0].equals("RESULT")) {
                continue;
            }
            String[] label = f[1].split("-"); // system-members
            Samples s = results.computeIfAbsent(new Measurement(label[1], f[2], f[3]), k -> new LinkedHashMap<>())
                    .computeIfAbsent(label[0], k -> new Samples());
            s.rates().add(Double.parseDouble(f[4]));
            s.p50s().add(Double.parseDouble(f[5]));
            s.p99s().add(Double.parseDouble(f[6]));
        }
        System.out.printf("%-8s %-21s %7s | %10s %8s %8s | %10s %8s %8s | %7s %7s%n", "members", "test", "clients",
                "skiff/s", "p50ms", "p99ms", "etcd/s", "p50ms", "p99ms", "ratio", "p99x");
        for (int i = 1; i < args.length; i++) {
            for (var e : results.entrySet()) {
                if (e.getKey().members().equals(args[i])) {
                    System.out.println(row(e.getKey(), e.getValue().get("skiff"), e.getValue().get("etcd")));
                }
            }
        }
        System.out.println("(ratio = skiff throughput / etcd throughput; p99x = skiff p99 / etcd p99, lower is better;"
                + " with ROUNDS > 1, medians of the rounds)");
    }

    private static String row(Measurement m, Samples skiff, Samples etcd) {
        double sRate = median(skiff, Samples::rates);
        double eRate = median(etcd, Samples::rates);
        double sP99 = median(skiff, Samples::p99s);
        double eP99 = median(etcd, Samples::p99s);
        return String.format(Locale.ROOT, "%-8s %-21s %7s | %10.0f %8.2f %8.2f | %10.0f %8.2f %8.2f | %6.2fx %6.2fx",
                m.members(), m.test(), m.clients(), sRate, median(skiff, Samples::p50s), sP99,
                eRate, median(etcd, Samples::p50s), eP99, ratio(sRate, eRate), ratio(sP99, eP99));
    }

    private static double median(Samples s, Function<Samples, List<Double>> figure) {
        if (s == null) {
            return 0;
        }
        return median(figure.apply(s).stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double ratio(double a, double b) {
        return b > 0 ? a / b : 0;
    }
}
