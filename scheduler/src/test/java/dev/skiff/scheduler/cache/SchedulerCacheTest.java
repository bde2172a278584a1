package dev.skiff.scheduler.cache;

import static dev.skiff.scheduler.TestObjects.node;
import static dev.skiff.scheduler.TestObjects.onNode;
import static dev.skiff.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.client.time.ManualClock;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Snapshot;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {
  private final ManualClock clock = new ManualClock();
  private final SchedulerCache cache = new SchedulerCache(clock, Duration.ofSeconds(30));
  private final Snapshot snapshot = new Snapshot();

  private long cpuOn(String node) {
    cache.updateSnapshot(snapshot);
    return snapshot.get(node).requested().milliCpu();
  }

  @Test
  void assumedPodTakesRoomUntilForgotten() {
    cache.addNode(node("n1", "4", "8Gi").build());
    PodInfo p = PodInfo.of(pod("p", "1", "1Gi").build()).withNodeName("n1");
    cache.assume(p);
    assertThat(cpuOn("n1")).isEqualTo(1000);
    cache.forget(p.key());
    assertThat(cpuOn("n1")).isZero();
  }

  @Test
  void informerConfirmsAnAssumptionAndItNeverExpires() {
    cache.addNode(node("n1", "4", "8Gi").build());
    cache.addNode(node("n2", "4", "8Gi").build());
    PodInfo p = PodInfo.of(pod("p", "1", "1Gi").build()).withNodeName("n1");
    cache.assume(p);
    cache.finishBinding(p.key());
    cache.addPod(PodInfo.of(onNode(pod("p", "1", "1Gi"), "n1").build()));
    clock.advance(Duration.ofMinutes(1));
    assertThat(cache.cleanupExpired()).isEmpty();
    assertThat(cpuOn("n1")).isEqualTo(1000);
    assertThat(cache.podCount()).isEqualTo(1);
  }

  @Test
  void unconfirmedAssumptionExpiresAfterTheTtl() {
    cache.addNode(node("n1", "4", "8Gi").build());
    PodInfo p = PodInfo.of(pod("p", "1", "1Gi").build()).withNodeName("n1");
    cache.assume(p);
    clock.advance(Duration.ofMinutes(10));
    assertThat(cache.cleanupExpired()).as("no TTL before the bind finished").isEmpty();
    cache.finishBinding(p.key());
    clock.advance(Duration.ofSeconds(29));
    assertThat(cache.cleanupExpired()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.cleanupExpired()).containsExactly(p.key());
    assertThat(cpuOn("n1")).isZero();
  }

  @Test
  void podsBeforeTheirNodeAndAfterItsDeletionStayAccounted() {
    cache.addPod(PodInfo.of(onNode(pod("early", "1", "1Gi"), "n1").build()));
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.size()).isZero();
    cache.addNode(node("n1", "4", "8Gi").build());
    assertThat(cpuOn("n1")).isEqualTo(1000);
    cache.removeNode("n1");
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.size()).isZero();
    cache.addNode(node("n1", "4", "8Gi").build());
    assertThat(cpuOn("n1")).isEqualTo(1000);
  }

  @Test
  void snapshotIsUpdatedIncrementally() {
    cache.addNode(node("n1", "4", "8Gi").build());
    cache.addNode(node("n2", "4", "8Gi").build());
    cache.updateSnapshot(snapshot);
    var n2Before = snapshot.get("n2");
    cache.addPod(PodInfo.of(onNode(pod("p", "1", "1Gi"), "n1").build()));
    cache.updateSnapshot(snapshot);
    assertThat(snapshot.get("n2")).isSameAs(n2Before);
    assertThat(snapshot.get("n1").pods()).hasSize(1);
  }
}
