package dev.skiff.store.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.metrics.LongCounter;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.MetricRegistryInfo;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.Timekeeper;
import org.junit.jupiter.api.Test;

class CountingMetricRegistriesTest {
    private static final MetricRegistryInfo LOG = new MetricRegistryInfo("m1@group", "ratis", "log_worker", "log");
    private final CountingMetricRegistries registries = new CountingMetricRegistries();

    @Test
    void ratisFindsTheseRegistriesAndNoOther() {
        assertThat(MetricRegistries.global()).isInstanceOf(CountingMetricRegistries.class);
    }

    @Test
    void aRegistryIsSharedUntilItsLastUserRemovesIt() {
        List<RatisMetricRegistry> created = new ArrayList<>();
        List<RatisMetricRegistry> stopped = new ArrayList<>();
        registries.addReporterRegistration(created::add, stopped::add);

        RatisMetricRegistry first = registries.create(LOG);
        assertThat(registries.create(LOG)).isSameAs(first);
        assertThat(created).containsExactly(first);

        assertThat(registries.remove(LOG)).isFalse();
        assertThat(registries.get(LOG)).containsSame(first);
        assertThat(registries.remove(LOG)).isTrue();
        assertThat(registries.get(LOG)).isEmpty();
        assertThat(stopped).containsExactly(first);
        assertThat(registries.remove(LOG)).isFalse();
        assertThat(registries.create(LOG)).isNotSameAs(first);
    }

    @Test
    void aTimerKeepsItsCountTotalAndLongest() throws InterruptedException {
        CountingMetricRegistry r = (CountingMetricRegistry) registries.create(LOG);
        Timekeeper flush = r.timer("flushTime");
        assertThat(r.timer("flushTime")).isSameAs(flush);
        flush.time().stop();
        Timekeeper.Context slow = flush.time();
        Thread.sleep(5);
        long slowNanos = slow.stop();

        CountingMetricRegistry.TimerTotals totals = r.timers().get("flushTime");
        assertThat(totals.count()).isEqualTo(2);
        assertThat(totals.maxNanos()).isEqualTo(slowNanos).isGreaterThanOrEqualTo(5_000_000);
        assertThat(totals.totalNanos()).isGreaterThanOrEqualTo(slowNanos);
    }

    @Test
    void countersAndGaugesReadTheirCurrentValue() {
        CountingMetricRegistry r = (CountingMetricRegistry) registries.create(LOG);
        LongCounter hits = r.counter("cacheHitCount");
        hits.inc();
        hits.inc(4);
        hits.dec();
        long[] queue = {3};
        r.gauge("workerQueueSize", () -> () -> queue[0]);
        queue[0] = 7;

        assertThat(r.counters()).containsEntry("cacheHitCount", 4L);
        assertThat(r.gauges()).containsEntry("workerQueueSize", 7L);
        assertThat(r.remove("cacheHitCount")).isTrue();
        assertThat(r.remove("cacheHitCount")).isFalse();
        assertThat(r.counters()).doesNotContainKey("cacheHitCount");
    }

    @Test
    void dropwizardReportersAreRefusedClearly() {
        assertThatThrownBy(registries::enableJmxReporter)
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("JMX");
    }
}
