package dev.skiff.client.queue;

import java.time.Duration;
import java.util.List;

/** The longest delay of several limiters (client-go's MaxOfRateLimiter). Thread-safe if they are. */
public final class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private final List<RateLimiter<K>> limiters;

  public MaxOfRateLimiter(List<RateLimiter<K>> limiters) {
    if (limiters.isEmpty()) {
      throw new IllegalArgumentException("MaxOfRateLimiter needs at least one limiter");
    }
    this.limiters = List.copyOf(limiters);
  }

  @Override
  public Duration when(K key) {
    Duration longest = Duration.ZERO;
    for (RateLimiter<K> limiter : limiters) {
      Duration d = limiter.when(key);
      if (d.compareTo(longest) > 0) {
        longest = d;
      }
    }
    return longest;
  }

  @Override
  public void forget(K key) {
    limiters.forEach(l -> l.forget(key));
  }

  @Override
  public int numRequeues(K key) {
    int most = 0;
    for (RateLimiter<K> limiter : limiters) {
      most = Math.max(most, limiter.numRequeues(key));
    }
    return most;
  }
}
