package dev.skiff.scheduler.queue;

import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.PodInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The scheduler's pending pods, in three parts (Kubernetes' PriorityQueue):
 * <ul>
 *   <li>active: ready to schedule, highest priority first, then oldest;
 *   <li>backoff: failed recently, waiting out a per-pod exponential backoff
 *       ({@code initialBackoff} doubling per attempt up to {@code maxBackoff});
 *   <li>unschedulable: no node fit; moved out only by a cluster event that one of the plugins
 *       that rejected the pod says may help, or after {@code maxUnschedulable}.
 * </ul>
 * A popped pod is "in flight" until {@link #done}, {@link #addUnschedulable} or
 * {@link #addBackoff}; events seen while it was being scheduled send it to backoff instead of
 * the unschedulable set so it is not stranded; so does a change of its spec, and the requeue then
 * carries the newer object. Deleting an in-flight pod makes its requeue a no-op.
 *
 * <p>Thread-safe: every method synchronizes on this queue. {@link #pop} blocks; {@link #poll}
 * and {@link #flush} make it steppable with a manual clock.
 */
public final class SchedulingQueue {
  private static final int MAX_EVENTS_IN_FLIGHT = 1024;

  private final Clock clock;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxUnschedulable;
  private final BiPredicate<QueuedPodInfo, ClusterEvent> worthRequeuing;

  // All guarded by this.
  private final PriorityQueue<Entry> active =
      new PriorityQueue<>(Comparator.comparingInt((Entry e) -> -e.info.pod().priority())
          .thenComparing(e -> e.info.enqueued()).thenComparingLong(e -> e.seq));
  private final PriorityQueue<Entry> backoff =
      new PriorityQueue<>(Comparator.comparing((Entry e) -> e.backoffExpiry).thenComparingLong(e -> e.seq));
  private final Map<String, Entry> queued = new HashMap<>();
  private final Map<String, QueuedPodInfo> unschedulable = new HashMap<>();
  private final Set<String> inFlight = new HashSet<>();
  /** The newest object of in-flight pods whose scheduling inputs changed during their cycle. */
  private final Map<String, PodInfo> updatedInFlight = new HashMap<>();
  private final List<ClusterEvent> eventsSincePop = new ArrayList<>();
  private boolean eventsOverflowed;
  /** How many entries of {@code queued} wait in backoff (so sizes() is O(1)). */
  private int backoffCount;
  private long seq;
  private boolean closed;

  private static final class Entry {
    final QueuedPodInfo info;
    final long seq;
    final Instant backoffExpiry;
    boolean removed;

    Entry(QueuedPodInfo info, long seq, Instant backoffExpiry) {
      this.info = info;
      this.seq = seq;
      this.backoffExpiry = backoffExpiry;
    }
  }

  /**
   * @param worthRequeuing whether an event may make a pod schedulable given the plugins that
   *     rejected it (asked on the caller's thread of {@link #onEvent})
   */
  public SchedulingQueue(Clock clock, Duration initialBackoff, Duration maxBackoff,
      Duration maxUnschedulable, BiPredicate<QueuedPodInfo, ClusterEvent> worthRequeuing) {
    this.clock = clock;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.maxUnschedulable = maxUnschedulable;
    this.worthRequeuing = worthRequeuing;
  }

  /** A new pending pod: straight to the active queue. */
  public synchronized void add(PodInfo pod) {
    if (queued.containsKey(pod.key()) || unschedulable.containsKey(pod.key())) {
      update(pod);
      return;
    }
    Instant now = clock.instant();
    pushActive(new QueuedPodInfo(pod, now, now, 0, Set.of()));
  }

  /**
   * The pod's object changed: replace it where it waits. An unschedulable pod is retried (its
   * spec may now fit); an unknown pod is added like a new one.
   */
  public synchronized void update(PodInfo pod) {
    update(pod, true);
  }

  /**
   * @param schedulingChanged false when only the status or bookkeeping changed: the newer object
   *     replaces the queued one where it waits, and an unschedulable pod stays unschedulable
   */
  public synchronized void update(PodInfo pod, boolean schedulingChanged) {
    if (!schedulingChanged) {
      QueuedPodInfo u = unschedulable.get(pod.key());
      if (u != null) {
        unschedulable.put(pod.key(), u.withPod(pod));
        return;
      }
      if (!queued.containsKey(pod.key())) {
        return;
      }
    }
    Entry e = queued.get(pod.key());
    if (e != null) {
      remove(e);
      QueuedPodInfo updated = e.info.withPod(pod);
      if (e.backoffExpiry != null) {
        pushBackoff(updated);
      } else {
        pushActive(updated);
      }
      return;
    }
    QueuedPodInfo u = unschedulable.remove(pod.key());
    if (u != null) {
      moveOut(u.withPod(pod));
      return;
    }
    if (inFlight.contains(pod.key())) {
      updatedInFlight.put(pod.key(), pod);
    } else {
      Instant now = clock.instant();
      pushActive(new QueuedPodInfo(pod, now, now, 0, Set.of()));
    }
  }

  /** The pod is gone (deleted, or bound elsewhere): forget it everywhere. */
  public synchronized void delete(String key) {
    Entry e = queued.get(key);
    if (e != null) {
      remove(e);
    }
    unschedulable.remove(key);
    inFlight.remove(key);
    updatedInFlight.remove(key);
  }

  /** Blocks until a pod is active; null once closed. The pod is in flight afterwards. */
  public synchronized QueuedPodInfo pop() throws InterruptedException {
    while (!closed) {
      Optional<QueuedPodInfo> p = poll();
      if (p.isPresent()) {
        return p.get();
      }
      wait();
    }
    return null;
  }

  /** The next active pod, if any, without blocking. */
  public synchronized Optional<QueuedPodInfo> poll() {
    Entry e;
    while ((e = active.poll()) != null) {
      if (!e.removed) {
        queued.remove(e.info.key());
        inFlight.add(e.info.key());
        eventsSincePop.clear();
        eventsOverflowed = false;
        return Optional.of(e.info.popped());
      }
    }
    return Optional.empty();
  }

  /** The in-flight pod was scheduled (or given up on); it is no longer tracked. */
  public synchronized void done(String key) {
    inFlight.remove(key);
    updatedInFlight.remove(key);
  }

  /**
   * No node fit. The pod waits for a relevant event, unless one arrived while it was in flight
   * (then it backs off and retries).
   */
  public synchronized void addUnschedulable(QueuedPodInfo pod, Set<String> rejectingPlugins) {
    PodInfo newer = updatedInFlight.remove(pod.key());
    if (!inFlight.remove(pod.key()) || queued.containsKey(pod.key())) {
      return;
    }
    QueuedPodInfo requeued = pod.requeued(clock.instant(), rejectingPlugins);
    if (newer != null) {
      requeued = requeued.withPod(newer);
    }
    boolean missedEvent = newer != null || eventsOverflowed;
    for (int i = 0; i < eventsSincePop.size() && !missedEvent; i++) {
      missedEvent = worthRequeuing.test(requeued, eventsSincePop.get(i));
    }
    if (missedEvent) {
      pushBackoff(requeued);
    } else {
      unschedulable.put(pod.key(), requeued);
    }
  }

  /** Scheduling or binding failed with an error: retry after the pod's backoff. */
  public synchronized void addBackoff(QueuedPodInfo pod) {
    PodInfo newer = updatedInFlight.remove(pod.key());
    if (!inFlight.remove(pod.key()) || queued.containsKey(pod.key())) {
      return;
    }
    QueuedPodInfo requeued = pod.requeued(clock.instant(), Set.of());
    pushBackoff(newer == null ? requeued : requeued.withPod(newer));
  }

  /** A cluster event: moves the unschedulable pods it may help to backoff or active. */
  public synchronized void onEvent(ClusterEvent event) {
    if (!inFlight.isEmpty()) {
      if (eventsSincePop.size() < MAX_EVENTS_IN_FLIGHT) {
        eventsSincePop.add(event);
      } else {
        eventsOverflowed = true;
      }
    }
    if (unschedulable.isEmpty()) {
      return;
    }
    for (Iterator<QueuedPodInfo> it = unschedulable.values().iterator(); it.hasNext(); ) {
      QueuedPodInfo p = it.next();
      if (worthRequeuing.test(p, event)) {
        it.remove();
        moveOut(p);
      }
    }
  }

  /** Moves backoff pods whose time is up, and pods unschedulable for too long, to active. */
  public synchronized void flush() {
    Instant now = clock.instant();
    Entry e;
    while ((e = backoff.peek()) != null && (e.removed || !e.backoffExpiry.isAfter(now))) {
      backoff.poll();
      if (!e.removed) {
        queued.remove(e.info.key());
        backoffCount--;
        pushActive(e.info);
      }
    }
    for (Iterator<QueuedPodInfo> it = unschedulable.values().iterator(); it.hasNext(); ) {
      QueuedPodInfo p = it.next();
      if (!p.enqueued().plus(maxUnschedulable).isAfter(now)) {
        it.remove();
        moveOut(p);
      }
    }
  }

  public synchronized void close() {
    closed = true;
    notifyAll();
  }

  /** Counts of pods in active, backoff and unschedulable. */
  public synchronized QueueSizes sizes() {
    return new QueueSizes(queued.size() - backoffCount, backoffCount, unschedulable.size());
  }

  /** Pod counts per part of the queue. */
  public record QueueSizes(int active, int backoff, int unschedulable) {}

  /** The backoff of a pod after {@code attempts} failed attempts. */
  public Duration backoffDuration(int attempts) {
    Duration d = initialBackoff;
    for (int i = 1; i < attempts && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  private void moveOut(QueuedPodInfo p) {
    Instant expiry = p.enqueued().plus(backoffDuration(p.attempts()));
    if (expiry.isAfter(clock.instant())) {
      pushBackoff(p);
    } else {
      pushActive(p);
    }
  }

  private void pushActive(QueuedPodInfo p) {
    Entry e = new Entry(p, seq++, null);
    active.add(e);
    queued.put(p.key(), e);
    notifyAll();
  }

  private void pushBackoff(QueuedPodInfo p) {
    Entry e = new Entry(p, seq++, p.enqueued().plus(backoffDuration(p.attempts())));
    backoff.add(e);
    queued.put(p.key(), e);
    backoffCount++;
  }

  private void remove(Entry e) {
    e.removed = true;
    queued.remove(e.info.key());
    if (e.backoffExpiry != null) {
      backoffCount--;
    }
  }
}
