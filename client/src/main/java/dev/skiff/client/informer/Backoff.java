package dev.skiff.client.informer;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with up to 20% jitter, for one thread (not thread-safe). */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration next;

  Backoff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  Duration next() {
    Duration current = next;
    Duration doubled = current.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    long jitter = (long) (current.toNanos() * 0.2 * ThreadLocalRandom.current().nextDouble());
    return current.plusNanos(jitter);
  }

  void reset() {
    next = initial;
  }
}
