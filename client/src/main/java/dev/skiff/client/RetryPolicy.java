package dev.skiff.client;

import java.time.Duration;

/**
 * How idempotent calls (Get, List) are retried when a server is UNAVAILABLE: up to
 * {@code maxAttempts} attempts, sleeping {@code initialBackoff}, then times {@code multiplier} up
 * to {@code maxBackoff}, each sleep jittered by up to +20%.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(2), 2.0);
  public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), 1.0);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || multiplier < 1) {
      throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff and multiplier >= 1");
    }
  }

  /** The sleep before attempt {@code attempt + 1} (attempt counts from 1), without jitter. */
  Duration backoff(int attempt) {
    double nanos = initialBackoff.toNanos() * Math.pow(multiplier, attempt - 1);
    return nanos >= maxBackoff.toNanos() ? maxBackoff : Duration.ofNanos((long) nanos);
  }
}
