package dev.skiff.controllers.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.client.time.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectationsTest {
  private final ManualClock clock = new ManualClock();
  private final Expectations e = new Expectations(clock);

  @Test
  void creationsMustAllBeObserved() {
    assertThat(e.satisfied("ns/rs")).isTrue();
    e.expectCreations("ns/rs", 2);
    assertThat(e.satisfied("ns/rs")).isFalse();
    e.creationObserved("ns/rs");
    assertThat(e.satisfied("ns/rs")).isFalse();
    e.creationObserved("ns/rs");
    assertThat(e.satisfied("ns/rs")).isTrue();
    e.creationObserved("ns/rs"); // an extra observation (an adopted pod) does not go negative
    e.expectCreations("ns/rs", 1);
    assertThat(e.satisfied("ns/rs")).isFalse();
  }

  @Test
  void deletionsAreTrackedByUidSoASecondSightingDoesNotCount() {
    e.expectDeletions("ns/rs", List.of("u1", "u2"));
    e.deletionObserved("ns/rs", "u1");
    e.deletionObserved("ns/rs", "u1");
    assertThat(e.satisfied("ns/rs")).isFalse();
    assertThat(e.isDeletionExpected("ns/rs", "u2")).isTrue();
    e.deletionObserved("ns/rs", "u2");
    assertThat(e.satisfied("ns/rs")).isTrue();
  }

  @Test
  void staleExpectationsExpire() {
    e.expectCreations("ns/rs", 3);
    clock.advance(Expectations.TTL.minus(Duration.ofSeconds(1)));
    assertThat(e.satisfied("ns/rs")).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(e.satisfied("ns/rs")).isTrue();
  }

  @Test
  void forgetDropsEverything() {
    e.expectCreations("ns/rs", 3);
    e.forget("ns/rs");
    assertThat(e.satisfied("ns/rs")).isTrue();
    assertThat(e.satisfied("ns/other")).isTrue();
  }
}
