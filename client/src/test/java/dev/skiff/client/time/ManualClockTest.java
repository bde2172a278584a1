package dev.skiff.client.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  @Test
  void movesOnlyWhenAdvanced() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(clock.millis()).isEqualTo(clock.instant().toEpochMilli());
    clock.advance(Duration.ofMillis(1500));
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-03-01T10:00:01.500Z"));
  }

  @Test
  void refusesToGoBack() {
    ManualClock clock = new ManualClock();
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot go back");
    assertThatThrownBy(() -> clock.setInstant(clock.instant().minusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void zonedViewSharesTime() {
    ManualClock clock = new ManualClock();
    var paris = clock.withZone(ZoneId.of("Europe/Paris"));
    clock.advance(Duration.ofHours(1));
    assertThat(paris.instant()).isEqualTo(clock.instant());
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }
}
