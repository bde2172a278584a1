package dev.skiff.store.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;

/**
 * One Ratis component's metrics (a division's log, its leader, its gRPC service...) as counts and
 * totals: a timer keeps how many times it ran, their total and their longest. Ratis updates a few
 * timers per log entry on every member, from its hottest threads, so each update is a few
 * uncontended adds. Thread-safe: any thread may update or read.
 */
public final class CountingMetricRegistry implements RatisMetricRegistry {
    private final MetricRegistryInfo info;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Supplier<?>> gauges = new ConcurrentHashMap<>();

    CountingMetricRegistry(MetricRegistryInfo info) {
        this.info = info;
    }

    /** A timer's totals so far; the mean is {@code totalNanos / count}. */
    public record TimerTotals(long count, long totalNanos, long maxNanos) {
    }

    /** What a timer has recorded. */
    static final class Timer implements Timekeeper {
        private final LongAdder count = new LongAdder();
        private final LongAdder totalNanos = new LongAdder();
        private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);

        @Override
        public Context time() {
            long start = System.nanoTime();
            return () -> record(System.nanoTime() - start);
        }

        long record(long nanos) {
            count.increment();
            totalNanos.add(nanos);
            maxNanos.accumulate(nanos);
            return nanos;
        }

        TimerTotals totals() {
            return new TimerTotals(count.sum(), totalNanos.sum(), maxNanos.get());
        }
    }

    /** A counter Ratis increments and decrements. */
    static final class Counter implements LongCounter {
        private final LongAdder value = new LongAdder();

        @Override
        public void inc(long n) {
            value.add(n);
        }

        @Override
        public void dec(long n) {
            value.add(-n);
        }

        @Override
        public long getCount() {
            return value.sum();
        }
    }

    @Override
    public Timekeeper timer(String name) {
        return timers.computeIfAbsent(name, n -> new Timer());
    }

    @Override
    public LongCounter counter(String name) {
        return counters.computeIfAbsent(name, n -> new Counter());
    }

    @Override
    public boolean remove(String name) {
        boolean removed = timers.remove(name) != null;
        removed |= counters.remove(name) != null;
        return gauges.remove(name) != null || removed;
    }

    /** Ratis hands over a factory of the gauge's reader: it is called once, here. */
    @Override
    public <T> void gauge(String name, Supplier<Supplier<T>> gaugeSupplier) {
        gauges.computeIfAbsent(name, n -> gaugeSupplier.get());
    }

    @Override
    public MetricRegistryInfo getMetricRegistryInfo() {
        return info;
    }

    /** Every timer's totals, by name. */
    public Map<String, TimerTotals> timers() {
        Map<String, TimerTotals> out = new TreeMap<>();
        timers.forEach((name, t) -> out.put(name, t.totals()));
        return out;
    }

    /** Every counter's value, by name. */
    public Map<String, Long> counters() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((name, c) -> out.put(name, c.getCount()));
        return out;
    }

    /** Every gauge's current value, by name (read now, on the calling thread). */
    public Map<String, Object> gauges() {
        Map<String, Object> out = new TreeMap<>();
        gauges.forEach((name, g) -> out.put(name, g.get()));
        return out;
    }
}
