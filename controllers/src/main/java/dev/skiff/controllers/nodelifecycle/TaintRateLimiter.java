package dev.skiff.controllers.nodelifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket of burst 1 on an injected clock: at most {@code qps} grants per second, for
 * pacing NoExecute taints (and so evictions) per zone, like Kubernetes'
 * {@code RateLimitedTimedQueue}. A rate of zero grants nothing.
 *
 * <p>Thread-safe (synchronized).
 */
public final class TaintRateLimiter {
  private final Clock clock;
  // Guarded by `this`.
  private double qps;
  private double tokens = 1;
  private Instant last;

  public TaintRateLimiter(Clock clock, double qps) {
    this.clock = clock;
    this.qps = qps;
    this.last = clock.instant();
  }

  /** Takes a token if one is available now. */
  public synchronized boolean tryAcquire() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** How long until a token is available (a minute when the rate is zero, to look again). */
  public synchronized Duration untilNext() {
    refill();
    if (tokens >= 1) {
      return Duration.ZERO;
    }
    if (qps <= 0) {
      return Duration.ofMinutes(1);
    }
    return Duration.ofNanos((long) Math.ceil((1 - tokens) / qps * 1e9));
  }

  /** Changes the rate, keeping the tokens accumulated so far. */
  public synchronized void setRate(double newQps) {
    refill();
    this.qps = newQps;
  }

  public synchronized double rate() {
    return qps;
  }

  private void refill() {
    Instant now = clock.instant();
    if (now.isAfter(last)) {
      double elapsed = Duration.between(last, now).toNanos() / 1e9;
      tokens = Math.min(1, tokens + elapsed * qps);
      last = now;
    }
  }
}
