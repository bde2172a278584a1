package dev.skiff.client.queue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-key exponential backoff: {@code base * 2^failures}, capped at {@code max}
 * (client-go's ItemExponentialFailureRateLimiter). Thread-safe (all state guarded by {@code this}).
 */
public final class ExponentialFailureRateLimiter<K> implements RateLimiter<K> {
  private final Duration base;
  private final Duration max;
  private final Map<K, Integer> failures = new HashMap<>();

  public ExponentialFailureRateLimiter(Duration base, Duration max) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= max, got base=" + base + " max=" + max);
    }
    this.base = base;
    this.max = max;
  }

  @Override
  public synchronized Duration when(K key) {
    int exp = failures.merge(key, 1, Integer::sum) - 1;
    // base * 2^exp without overflow: once the shift would pass max, answer max.
    long baseNanos = base.toNanos();
    if (exp >= 62 || baseNanos > (Long.MAX_VALUE >> exp)) {
      return max;
    }
    Duration backoff = Duration.ofNanos(baseNanos << exp);
    return backoff.compareTo(max) > 0 ? max : backoff;
  }

  @Override
  public synchronized void forget(K key) {
    failures.remove(key);
  }

  @Override
  public synchronized int numRequeues(K key) {
    return failures.getOrDefault(key, 0);
  }
}
