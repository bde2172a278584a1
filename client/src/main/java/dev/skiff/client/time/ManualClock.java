package dev.skiff.client.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when a test tells it to, for steppable tests in every module.
 *
 * <p>Thread-safe: {@link #advance} and {@link #instant} may be called from any thread. Code that
 * waits for a deadline measured on this clock must re-check it periodically (nothing is notified
 * when the clock moves), e.g. {@code WorkQueue} re-checks its delayed keys at least every 50 ms.
 */
public final class ManualClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  /** A clock at 2026-01-01T00:00:00Z, UTC. */
  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  public ManualClock(Instant start) {
    this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
  }

  private ManualClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /** Moves the clock forward by {@code d} (must not be negative). */
  public void advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a clock cannot go back: advance(" + d + ")");
    }
    now.updateAndGet(t -> t.plus(d));
  }

  /** Sets the clock to {@code instant}, which must not be before the current time. */
  public void setInstant(Instant instant) {
    now.updateAndGet(t -> {
      if (instant.isBefore(t)) {
        throw new IllegalArgumentException("a clock cannot go back: " + t + " -> " + instant);
      }
      return instant;
    });
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view in another zone that shares this clock's time (advancing one advances both). */
  @Override
  public Clock withZone(ZoneId zone) {
    return new ManualClock(now, zone);
  }

  @Override
  public String toString() {
    return "ManualClock[" + now.get() + "]";
  }
}
