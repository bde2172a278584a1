package dev.skiff.nodeagent.pod;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Restart back-off per container (kubelet's flowcontrol.Backoff as used by doBackOff): the first
 * restart is immediate and arms 10 s; a container that exits again within the back-off waits out
 * the rest of it, and each restart after that doubles it, up to 5 minutes. An entry not renewed for
 * 10 minutes (twice the maximum, i.e. a container that ran that long) starts over at 10 s.
 * Thread-safe.
 */
public final class CrashLoopBackoff {
  private record Entry(Duration backoff, Instant lastUpdate) {}

  private final Clock clock;
  private final Duration initial;
  private final Duration max;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  public CrashLoopBackoff(Clock clock, Duration initial, Duration max) {
    this.clock = clock;
    this.initial = initial;
    this.max = max;
  }

  public static CrashLoopBackoff kubelet(Clock clock) {
    return new CrashLoopBackoff(clock, Duration.ofSeconds(10), Duration.ofMinutes(5));
  }

  private boolean expired(Instant eventTime, Entry e) {
    return Duration.between(e.lastUpdate(), eventTime).compareTo(max.multipliedBy(2)) > 0;
  }

  /**
   * How long a container that finished at {@code finishedAt} must still wait before a restart;
   * empty when it may restart now.
   */
  public Optional<Duration> remaining(String key, Instant finishedAt) {
    Entry e = entries.get(key);
    if (e == null || expired(finishedAt, e)) {
      return Optional.empty();
    }
    Duration since = Duration.between(finishedAt, clock.instant());
    Duration left = e.backoff().minus(since);
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  /** The current back-off of a key (for messages), or the initial one. */
  public Duration current(String key) {
    Entry e = entries.get(key);
    return e == null ? initial : e.backoff();
  }

  /** Records a restart of a container that finished at {@code finishedAt}. */
  public void next(String key, Instant finishedAt) {
    entries.compute(key, (k, e) -> {
      if (e == null || expired(finishedAt, e)) {
        return new Entry(initial, finishedAt);
      }
      Duration doubled = e.backoff().multipliedBy(2);
      return new Entry(doubled.compareTo(max) > 0 ? max : doubled, finishedAt);
    });
  }

  public void forgetPrefix(String prefix) {
    entries.keySet().removeIf(k -> k.startsWith(prefix));
  }
}
