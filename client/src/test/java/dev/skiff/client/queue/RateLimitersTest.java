package dev.skiff.client.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.client.time.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitersTest {
  @Test
  void exponentialDoublesPerKeyUpToMax() {
    var limiter = new ExponentialFailureRateLimiter<String>(Duration.ofMillis(5), Duration.ofSeconds(1000));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(5));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(10));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(20));
    assertThat(limiter.when("b")).isEqualTo(Duration.ofMillis(5));
    assertThat(limiter.numRequeues("a")).isEqualTo(3);
    for (int i = 0; i < 100; i++) {
      limiter.when("a");
    }
    assertThat(limiter.when("a")).isEqualTo(Duration.ofSeconds(1000));
    limiter.forget("a");
    assertThat(limiter.numRequeues("a")).isZero();
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(5));
  }

  @Test
  void tokenBucketAllowsBurstThenSpacesAtQps() {
    ManualClock clock = new ManualClock();
    var bucket = new TokenBucketRateLimiter<String>(10, 100, clock);
    for (int i = 0; i < 100; i++) {
      assertThat(bucket.when("k" + i)).isZero();
    }
    assertThat(bucket.when("x")).isEqualTo(Duration.ofMillis(100));
    assertThat(bucket.when("y")).isEqualTo(Duration.ofMillis(200));
    clock.advance(Duration.ofSeconds(1)); // 10 tokens back; 2 were already reserved
    for (int i = 0; i < 8; i++) {
      assertThat(bucket.when("z" + i)).isZero();
    }
    assertThat(bucket.when("late")).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void tokenBucketRefillIsCappedAtBurst() {
    ManualClock clock = new ManualClock();
    var bucket = new TokenBucketRateLimiter<String>(10, 5, clock);
    clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 5; i++) {
      assertThat(bucket.when("k")).isZero();
    }
    assertThat(bucket.when("k")).isPositive();
  }

  @Test
  void defaultControllerLimiterIsMaxOfBoth() {
    ManualClock clock = new ManualClock();
    RateLimiter<String> limiter = RateLimiters.defaultControllerRateLimiter(clock);
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(5));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(10));
    for (int i = 0; i < 98; i++) {
      limiter.when("other" + i); // drains the bucket (2 tokens already used)
    }
    // per-key backoff of a fresh key is 5 ms, but the empty bucket makes it wait 100 ms
    assertThat(limiter.when("fresh")).isEqualTo(Duration.ofMillis(100));
    assertThat(limiter.numRequeues("a")).isEqualTo(2);
    limiter.forget("a");
    assertThat(limiter.numRequeues("a")).isZero();
  }

  @Test
  void maxOfTakesLongest() {
    RateLimiter<String> fixed1 = fixed(Duration.ofMillis(7));
    RateLimiter<String> fixed2 = fixed(Duration.ofMillis(3));
    assertThat(new MaxOfRateLimiter<>(List.of(fixed1, fixed2)).when("k")).isEqualTo(Duration.ofMillis(7));
  }

  private static RateLimiter<String> fixed(Duration d) {
    return new RateLimiter<>() {
      @Override
      public Duration when(String key) {
        return d;
      }

      @Override
      public void forget(String key) {}

      @Override
      public int numRequeues(String key) {
        return 0;
      }
    };
  }
}
