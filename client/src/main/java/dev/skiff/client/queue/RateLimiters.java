package dev.skiff.client.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Factories for the usual limiters. */
public final class RateLimiters {
  public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(5);
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(1000);
  public static final double DEFAULT_QPS = 10;
  public static final int DEFAULT_BURST = 100;

  private RateLimiters() {}

  /** Per-key exponential 5 ms .. 1000 s, max of an overall token bucket 10 qps / 100 burst, on the system clock. */
  public static <K> RateLimiter<K> defaultControllerRateLimiter() {
    return defaultControllerRateLimiter(Clock.systemUTC());
  }

  /** As {@link #defaultControllerRateLimiter()}, the bucket refilled on {@code clock}. */
  public static <K> RateLimiter<K> defaultControllerRateLimiter(Clock clock) {
    return new MaxOfRateLimiter<>(List.of(
        new ExponentialFailureRateLimiter<>(DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY),
        new TokenBucketRateLimiter<>(DEFAULT_QPS, DEFAULT_BURST, clock)));
  }

  /** Per-key exponential backoff only. */
  public static <K> RateLimiter<K> exponential(Duration base, Duration max) {
    return new ExponentialFailureRateLimiter<>(base, max);
  }
}
