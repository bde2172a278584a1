package dev.skiff.client.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * An overall token bucket shared by every key (client-go's BucketRateLimiter over
 * golang.org/x/time/rate): {@code burst} tokens, refilled at {@code qps} per second on the injected
 * clock. Each {@link #when} reserves one token and answers how long until that token exists, so
 * a burst of failures spreads out at {@code qps}. Thread-safe (guarded by {@code this}).
 */
public final class TokenBucketRateLimiter<K> implements RateLimiter<K> {
  private final double qps;
  private final int burst;
  private final Clock clock;
  private double tokens;
  private Instant last;

  public TokenBucketRateLimiter(double qps, int burst, Clock clock) {
    if (qps <= 0 || burst <= 0) {
      throw new IllegalArgumentException("need qps > 0 and burst > 0, got qps=" + qps + " burst=" + burst);
    }
    this.qps = qps;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.instant();
  }

  @Override
  public synchronized Duration when(K key) {
    Instant now = clock.instant();
    if (now.isAfter(last)) {
      double elapsedSeconds = Duration.between(last, now).toNanos() / 1e9;
      tokens = Math.min(burst, tokens + elapsedSeconds * qps);
      last = now;
    }
    tokens -= 1;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) Math.ceil(-tokens / qps * 1e9));
  }

  @Override
  public void forget(K key) {
    // the bucket is shared by all keys: nothing per key to forget
  }

  @Override
  public int numRequeues(K key) {
    return 0;
  }
}
