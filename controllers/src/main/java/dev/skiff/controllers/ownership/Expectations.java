package dev.skiff.controllers.ownership;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a controller is still waiting to see in its informer after creating or deleting objects
 * for a key (Kubernetes' {@code UIDTrackingControllerExpectations}), so that a watch slower than
 * the controller never makes it create or delete twice.
 *
 * <p>Creations are counted; deletions are tracked by uid, so a pod first seen with a deletion
 * timestamp and then seen gone counts once. Expectations older than {@link #TTL} are treated as
 * satisfied (a lost event must not wedge a controller forever).
 *
 * <p>Thread-safe: every method is synchronized; informer threads observe, workers expect.
 */
public final class Expectations {
  public static final Duration TTL = Duration.ofMinutes(5);

  private final Clock clock;
  // Guarded by `this`.
  private final Map<String, Entry> entries = new HashMap<>();

  public Expectations(Clock clock) {
    this.clock = clock;
  }

  private static final class Entry {
    int creations;
    final Set<String> deletions = new HashSet<>();
    Instant since;

    Entry(Instant since) {
      this.since = since;
    }
  }

  /** Records that {@code count} objects are being created for {@code key}. */
  public synchronized void expectCreations(String key, int count) {
    Entry e = fresh(key);
    e.creations += count;
  }

  /** Records that the objects with these uids are being deleted for {@code key}. */
  public synchronized void expectDeletions(String key, Collection<String> uids) {
    Entry e = fresh(key);
    e.deletions.addAll(uids);
  }

  /** An expected creation was seen, or will never happen (the create call failed). */
  public synchronized void creationObserved(String key) {
    Entry e = entries.get(key);
    if (e != null && e.creations > 0) {
      e.creations--;
    }
  }

  /** The object with {@code uid} was seen deleted, or its deletion failed. */
  public synchronized void deletionObserved(String key, String uid) {
    Entry e = entries.get(key);
    if (e != null) {
      e.deletions.remove(uid);
    }
  }

  /** Whether every expected event for {@code key} has been seen (or the wait has expired). */
  public synchronized boolean satisfied(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      return true;
    }
    if (e.creations <= 0 && e.deletions.isEmpty()) {
      return true;
    }
    return !clock.instant().isBefore(e.since.plus(TTL));
  }

  /** Whether deletion of {@code uid} is still awaited for {@code key}. */
  public synchronized boolean isDeletionExpected(String key, String uid) {
    Entry e = entries.get(key);
    return e != null && e.deletions.contains(uid);
  }

  /** Drops everything recorded for {@code key} (its object is gone). */
  public synchronized void forget(String key) {
    entries.remove(key);
  }

  private Entry fresh(String key) {
    Entry e = entries.get(key);
    boolean settled = e == null || (e.creations <= 0 && e.deletions.isEmpty());
    if (settled || !clock.instant().isBefore(e.since.plus(TTL))) {
      e = new Entry(clock.instant());
      entries.put(key, e);
    }
    return e;
  }
}
