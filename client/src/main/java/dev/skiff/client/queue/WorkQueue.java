package dev.skiff.client.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A rate-limited, delaying work queue of keys (client-go's workqueue): a key queued several times
 * before a worker takes it is handed out once; a key is never handed to two workers at once; a key
 * added while a worker holds it is marked dirty and queued again when the worker calls
 * {@link #done}.
 *
 * <p>Delayed keys ({@link #addAfter}, {@link #addRateLimited}) become ready when the injected clock
 * reaches their time. Nothing is notified when a clock moves, so a blocked {@link #take} re-checks
 * the earliest delayed key at least every {@value #RECHECK_MILLIS} ms; with a {@code ManualClock}
 * tests step with {@link #poll} instead. After {@link #shutDown}, adds are ignored, delayed keys are
 * dropped, and {@link #take} hands out what is still queued, then returns null.
 *
 * <p>Thread-safe: every field is guarded by {@code lock}; no callbacks run under it.
 */
public final class WorkQueue<K> {
  static final long RECHECK_MILLIS = 100;

  private final String name;
  private final RateLimiter<K> rateLimiter;
  private final Clock clock;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // Keys ready to hand out, in order; each key at most once.
  private final ArrayDeque<K> queue = new ArrayDeque<>();
  // Keys that need processing: those in `queue`, plus those re-added while processing.
  private final Set<K> dirty = new HashSet<>();
  // Keys handed to a worker and not yet done().
  private final Set<K> processing = new HashSet<>();
  // Delayed keys: the earliest ready time per key; heap entries not matching it are stale.
  private final Map<K, Instant> waitingReadyAt = new HashMap<>();
  private final PriorityQueue<Waiting<K>> waiting = new PriorityQueue<>();
  private boolean shuttingDown;

  private record Waiting<K>(Instant readyAt, long seq, K key) implements Comparable<Waiting<K>> {
    @Override
    public int compareTo(Waiting<K> o) {
      int c = readyAt.compareTo(o.readyAt);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private long seq;

  public WorkQueue(String name, RateLimiter<K> rateLimiter, Clock clock) {
    this.name = name;
    this.rateLimiter = rateLimiter;
    this.clock = clock;
  }

  public String name() {
    return name;
  }

  /** Queues {@code key} unless it is already queued; if a worker holds it, queues it again on done(). */
  public void add(K key) {
    lock.lock();
    try {
      addLocked(key);
    } finally {
      lock.unlock();
    }
  }

  /** Queues {@code key} once {@code delay} has passed on the clock; the earliest of repeated calls wins. */
  public void addAfter(K key, Duration delay) {
    lock.lock();
    try {
      if (shuttingDown) {
        return;
      }
      if (delay.isNegative() || delay.isZero()) {
        addLocked(key);
        return;
      }
      Instant readyAt = clock.instant().plus(delay);
      Instant current = waitingReadyAt.get(key);
      if (current != null && !readyAt.isBefore(current)) {
        return;
      }
      waitingReadyAt.put(key, readyAt);
      waiting.add(new Waiting<>(readyAt, seq++, key));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Queues {@code key} after the delay its rate limiter gives now (counts a requeue). */
  public void addRateLimited(K key) {
    addAfter(key, rateLimiter.when(key));
  }

  /** Resets the rate limiter's memory of {@code key} (call after a successful reconcile). */
  public void forget(K key) {
    rateLimiter.forget(key);
  }

  public int numRequeues(K key) {
    return rateLimiter.numRequeues(key);
  }

  /**
   * Blocks until a key is ready and hands it to the caller, who must call {@link #done} with it.
   * Returns null once the queue is shut down and nothing is left queued.
   */
  public K take() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        promoteDueLocked();
        if (!queue.isEmpty()) {
          return handOutLocked();
        }
        if (shuttingDown) {
          return null;
        }
        Waiting<K> next = waiting.peek();
        if (next == null) {
          changed.await();
        } else {
          long untilReady = Duration.between(clock.instant(), next.readyAt()).toNanos();
          long wait = Math.min(Math.max(untilReady, 1), TimeUnit.MILLISECONDS.toNanos(RECHECK_MILLIS));
          changed.awaitNanos(wait);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Hands out a ready key without blocking (steppable tests); the caller must call {@link #done}. */
  public Optional<K> poll() {
    lock.lock();
    try {
      promoteDueLocked();
      return queue.isEmpty() ? Optional.empty() : Optional.of(handOutLocked());
    } finally {
      lock.unlock();
    }
  }

  /** Marks {@code key} processed; if it was added meanwhile it is queued again. */
  public void done(K key) {
    lock.lock();
    try {
      processing.remove(key);
      if (dirty.contains(key)) {
        queue.addLast(key);
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Stops accepting keys; blocked and future take() calls drain what is queued, then return null. */
  public void shutDown() {
    lock.lock();
    try {
      shuttingDown = true;
      waiting.clear();
      waitingReadyAt.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public boolean isShuttingDown() {
    lock.lock();
    try {
      return shuttingDown;
    } finally {
      lock.unlock();
    }
  }

  /** Keys ready to hand out now (not counting delayed keys or keys being processed). */
  public int length() {
    lock.lock();
    try {
      promoteDueLocked();
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private void addLocked(K key) {
    if (shuttingDown || !dirty.add(key)) {
      return;
    }
    if (processing.contains(key)) {
      return; // queued again by done()
    }
    queue.addLast(key);
    changed.signal();
  }

  private K handOutLocked() {
    K key = queue.pollFirst();
    processing.add(key);
    dirty.remove(key);
    return key;
  }

  private void promoteDueLocked() {
    if (waiting.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    Waiting<K> head;
    while ((head = waiting.peek()) != null && !head.readyAt().isAfter(now)) {
      waiting.poll();
      if (head.readyAt().equals(waitingReadyAt.get(head.key()))) {
        waitingReadyAt.remove(head.key());
        addLocked(head.key());
      }
    }
  }
}
