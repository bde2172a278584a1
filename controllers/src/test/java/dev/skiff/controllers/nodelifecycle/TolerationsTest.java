package dev.skiff.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Taint;
import dev.skiff.api.v1.Toleration;
import dev.skiff.client.time.ManualClock;
import dev.skiff.controllers.nodelifecycle.ZoneState.EvictionRates;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TolerationsTest {
  static final Taint UNREACHABLE = Taint.newBuilder().setKey("node.kubernetes.io/unreachable").setEffect("NoExecute").build();
  static final Taint NOT_READY = Taint.newBuilder().setKey("node.kubernetes.io/not-ready").setEffect("NoExecute").build();

  static Toleration exists(String key, String effect, Long seconds) {
    Toleration.Builder b = Toleration.newBuilder().setKey(key).setOperator("Exists").setEffect(effect);
    if (seconds != null) {
      b.setTolerationSeconds(seconds);
    }
    return b.build();
  }

  @Test
  void matchingRules() {
    assertThat(Tolerations.tolerates(exists("node.kubernetes.io/unreachable", "NoExecute", null), UNREACHABLE)).isTrue();
    assertThat(Tolerations.tolerates(exists("node.kubernetes.io/unreachable", "NoSchedule", null), UNREACHABLE)).isFalse();
    assertThat(Tolerations.tolerates(exists("", "", null), UNREACHABLE)).isTrue(); // tolerate everything
    assertThat(Tolerations.tolerates(exists("other", "", null), UNREACHABLE)).isFalse();
    Taint valued = Taint.newBuilder().setKey("k").setValue("v").setEffect("NoExecute").build();
    assertThat(Tolerations.tolerates(Toleration.newBuilder().setKey("k").setValue("v").build(), valued)).isTrue();
    assertThat(Tolerations.tolerates(Toleration.newBuilder().setKey("k").setOperator("Equal").setValue("w").build(), valued)).isFalse();
    assertThat(Tolerations.tolerates(Toleration.newBuilder().setOperator("Equal").build(), valued)).isFalse();
  }

  @Test
  void timeAllowedIsTheSmallestUsedTolerationOrZeroWhenUntolerated() {
    assertThat(Tolerations.timeAllowed(List.of(), List.of(UNREACHABLE))).contains(Duration.ZERO);
    assertThat(Tolerations.timeAllowed(List.of(exists("node.kubernetes.io/unreachable", "NoExecute", 300L)), List.of(UNREACHABLE)))
        .contains(Duration.ofSeconds(300));
    assertThat(Tolerations.timeAllowed(List.of(exists("node.kubernetes.io/unreachable", "NoExecute", null)), List.of(UNREACHABLE)))
        .isEqualTo(Optional.empty());
    assertThat(Tolerations.timeAllowed(List.of(exists("node.kubernetes.io/unreachable", "NoExecute", 300L),
        exists("node.kubernetes.io/not-ready", "NoExecute", 30L)), List.of(UNREACHABLE, NOT_READY)))
        .contains(Duration.ofSeconds(30));
    assertThat(Tolerations.timeAllowed(List.of(exists("node.kubernetes.io/unreachable", "NoExecute", -5L)), List.of(UNREACHABLE)))
        .contains(Duration.ZERO);
    assertThat(Tolerations.timeAllowed(List.of(), List.of())).isEmpty();
  }

  @Test
  void defaultsAddOnlyMissingTolerations() {
    List<Toleration> own = List.of(exists("node.kubernetes.io/unreachable", "NoExecute", 5L));
    List<Toleration> all = Tolerations.withDefaults(own,
        List.of("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready"), 300);
    assertThat(all).hasSize(2);
    assertThat(Tolerations.timeAllowed(all, List.of(UNREACHABLE))).contains(Duration.ofSeconds(5));
    assertThat(Tolerations.timeAllowed(all, List.of(NOT_READY))).contains(Duration.ofSeconds(300));
  }

  @Test
  void zoneStatesAndRates() {
    EvictionRates r = EvictionRates.DEFAULT;
    assertThat(ZoneState.of(3, 0, 0.55)).isEqualTo(ZoneState.NORMAL);
    assertThat(ZoneState.of(1, 2, 0.55)).isEqualTo(ZoneState.NORMAL); // two down is never a disruption
    assertThat(ZoneState.of(2, 3, 0.55)).isEqualTo(ZoneState.PARTIAL_DISRUPTION);
    assertThat(ZoneState.of(3, 3, 0.55)).isEqualTo(ZoneState.NORMAL); // 50% < 55%
    assertThat(ZoneState.of(0, 1, 0.55)).isEqualTo(ZoneState.FULL_DISRUPTION);
    assertThat(ZoneState.NORMAL.rate(r, 10, false)).isEqualTo(0.1);
    assertThat(ZoneState.PARTIAL_DISRUPTION.rate(r, 10, false)).isEqualTo(0);
    assertThat(ZoneState.PARTIAL_DISRUPTION.rate(r, 100, false)).isEqualTo(0.01);
    assertThat(ZoneState.FULL_DISRUPTION.rate(r, 10, false)).isEqualTo(0.1);
    assertThat(ZoneState.FULL_DISRUPTION.rate(r, 10, true)).isEqualTo(0);
  }

  @Test
  void rateLimiterGrantsOneTokenPerPeriodOnTheClock() {
    ManualClock clock = new ManualClock();
    TaintRateLimiter limiter = new TaintRateLimiter(clock, 0.1);
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
    assertThat(limiter.untilNext()).isEqualTo(Duration.ofSeconds(10));
    clock.advance(Duration.ofSeconds(9));
    assertThat(limiter.tryAcquire()).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquire()).isTrue();
    clock.advance(Duration.ofSeconds(100)); // burst stays 1
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
    limiter.setRate(0);
    clock.advance(Duration.ofHours(1));
    assertThat(limiter.tryAcquire()).isFalse();
  }
}
