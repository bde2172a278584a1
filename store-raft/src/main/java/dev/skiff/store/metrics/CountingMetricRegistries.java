package dev.skiff.store.metrics;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.util.TimeDuration;

/**
 * Where Ratis keeps its metrics in a Skiff process: {@link CountingMetricRegistry}s. Ratis finds
 * this class with Java's {@link java.util.ServiceLoader} (META-INF/services), in place of its
 * default ({@code ratis-metrics-default}, not on the classpath). That default keeps each timer as
 * a Dropwizard timer with an exponentially decaying sample (a skip-list insert under a lock per
 * update) and registers every metric as a JMX bean; its updates took 3-7% of a member's sampled
 * CPU with one client on three members.
 *
 * <p>Registries are shared by name and reference-counted, as Ratis expects: each Ratis component
 * {@link #create}s its registry and {@link #remove}s it when it closes, and two members in one
 * process (tests) use distinct names. Thread-safe.
 */
public final class CountingMetricRegistries extends MetricRegistries {
    private record Shared(CountingMetricRegistry registry, int references) {
    }

    private final Map<MetricRegistryInfo, Shared> registries = new ConcurrentHashMap<>();
    private final List<Consumer<RatisMetricRegistry>> onCreate = new CopyOnWriteArrayList<>();
    private final List<Consumer<RatisMetricRegistry>> onRemove = new CopyOnWriteArrayList<>();

    /** Called by the {@link java.util.ServiceLoader}. */
    public CountingMetricRegistries() {
    }

    @Override
    public RatisMetricRegistry create(MetricRegistryInfo info) {
        Shared shared = registries.compute(info, (key, old) -> old == null
                ? new Shared(new CountingMetricRegistry(key), 1)
                : new Shared(old.registry(), old.references() + 1));
        if (shared.references() == 1) {
            onCreate.forEach(c -> c.accept(shared.registry()));
        }
        return shared.registry();
    }

    /** Drops one reference; true when that was the last and the registry is gone. */
    @Override
    public boolean remove(MetricRegistryInfo info) {
        CountingMetricRegistry[] removed = new CountingMetricRegistry[1];
        registries.computeIfPresent(info, (key, old) -> {
            if (old.references() > 1) {
                return new Shared(old.registry(), old.references() - 1);
            }
            removed[0] = old.registry();
            return null;
        });
        if (removed[0] != null) {
            onRemove.forEach(c -> c.accept(removed[0]));
        }
        return removed[0] != null;
    }

    @Override
    public Optional<RatisMetricRegistry> get(MetricRegistryInfo info) {
        return Optional.ofNullable(registries.get(info)).map(Shared::registry);
    }

    @Override
    public Set<MetricRegistryInfo> getMetricRegistryInfos() {
        return Set.copyOf(registries.keySet());
    }

    @Override
    public Collection<RatisMetricRegistry> getMetricRegistries() {
        return registries.values().stream().map(s -> (RatisMetricRegistry) s.registry()).toList();
    }

    @Override
    public void clear() {
        registries.clear();
    }

    @Override
    public void addReporterRegistration(Consumer<RatisMetricRegistry> reporterRegistration,
            Consumer<RatisMetricRegistry> stopReporter) {
        onCreate.add(reporterRegistration);
        onRemove.add(stopReporter);
    }

    @Override
    public void removeReporterRegistration(Consumer<RatisMetricRegistry> reporterRegistration,
            Consumer<RatisMetricRegistry> stopReporter) {
        onCreate.remove(reporterRegistration);
        onRemove.remove(stopReporter);
    }

    /** JMX reporting is Dropwizard's, which Skiff does not ship. */
    @Override
    public void enableJmxReporter() {
        throw new UnsupportedOperationException("Skiff keeps Ratis' metrics as counts; it has no JMX reporter");
    }

    /** Console reporting is Dropwizard's, which Skiff does not ship. */
    @Override
    public void enableConsoleReporter(TimeDuration consoleReportRate) {
        throw new UnsupportedOperationException("Skiff keeps Ratis' metrics as counts; it has no console reporter");
    }
}
