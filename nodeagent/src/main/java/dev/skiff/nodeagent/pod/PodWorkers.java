package dev.skiff.nodeagent.pod;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One serial worker per pod uid (kubelet's pod workers) over a shared executor: a uid is never
 * synced by two threads at once; a trigger that arrives while it syncs runs it once more after;
 * triggers that pile up while it waits are merged. Nothing runs for an idle pod: delayed syncs
 * ({@link #enqueueAfter}) sit in a time-ordered set that one timer thread (or a test calling {@link
 * #fireDue}) moves to the executor when the injected clock reaches them.
 *
 * <p>Threading: every field is guarded by {@code lock}; the sync function runs outside it, on the
 * executor (production: a virtual thread per sync; tests: a queue they drain).
 */
public final class PodWorkers {
  private static final Logger log = LoggerFactory.getLogger(PodWorkers.class);
  private static final Duration MAX_TIMER_WAIT = Duration.ofSeconds(5);

  private record Due(Instant at, long seq, String uid) implements Comparable<Due> {
    @Override
    public int compareTo(Due o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private enum State { QUEUED, RUNNING, RUNNING_DIRTY }

  private final Clock clock;
  private final Executor executor;
  private final Consumer<String> sync;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<String, State> states = new HashMap<>();
  private final TreeSet<Due> delayed = new TreeSet<>();
  private final Map<String, Due> delayedByUid = new HashMap<>();
  private long seq;
  private boolean closed;
  private Thread timer;

  /** @param sync the per-pod sync; exceptions are logged, the caller re-queues itself */
  public PodWorkers(Clock clock, Executor executor, Consumer<String> sync) {
    this.clock = clock;
    this.executor = executor;
    this.sync = sync;
  }

  /** Starts the timer thread that releases delayed syncs (real clocks). */
  public void start(String name) {
    lock.lock();
    try {
      if (timer == null && !closed) {
        timer = Thread.ofVirtual().name(name + "-timer").start(this::runTimer);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Syncs {@code uid} as soon as possible. */
  public void enqueue(String uid) {
    boolean submit = false;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      State s = states.get(uid);
      if (s == null) {
        states.put(uid, State.QUEUED);
        submit = true;
      } else if (s == State.RUNNING) {
        states.put(uid, State.RUNNING_DIRTY);
      }
    } finally {
      lock.unlock();
    }
    if (submit) {
      executor.execute(() -> run(uid));
    }
  }

  /** Syncs {@code uid} after {@code delay} on the clock; the earliest pending delay wins. */
  public void enqueueAfter(String uid, Duration delay) {
    if (delay.isNegative() || delay.isZero()) {
      enqueue(uid);
      return;
    }
    lock.lock();
    try {
      if (closed) {
        return;
      }
      Instant at = clock.instant().plus(delay);
      Due old = delayedByUid.get(uid);
      if (old != null && !old.at().isAfter(at)) {
        return;
      }
      if (old != null) {
        delayed.remove(old);
      }
      Due d = new Due(at, seq++, uid);
      delayed.add(d);
      delayedByUid.put(uid, d);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Moves every delayed sync whose time has come to the executor; returns how many. */
  public int fireDue() {
    java.util.List<String> ready = new java.util.ArrayList<>();
    lock.lock();
    try {
      Instant now = clock.instant();
      while (!delayed.isEmpty() && !delayed.first().at().isAfter(now)) {
        Due d = delayed.pollFirst();
        delayedByUid.remove(d.uid());
        ready.add(d.uid());
      }
    } finally {
      lock.unlock();
    }
    ready.forEach(this::enqueue);
    return ready.size();
  }

  /** When the next delayed sync is due, if any (tests step the clock to it). */
  public java.util.Optional<Instant> nextDue() {
    lock.lock();
    try {
      return delayed.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(delayed.first().at());
    } finally {
      lock.unlock();
    }
  }

  private void run(String uid) {
    while (true) {
      lock.lock();
      try {
        states.put(uid, State.RUNNING);
      } finally {
        lock.unlock();
      }
      try {
        sync.accept(uid);
      } catch (RuntimeException e) {
        log.warn("pod {}: sync failed: {}", uid, e.toString());
        enqueueAfter(uid, Duration.ofSeconds(2));
      }
      lock.lock();
      try {
        if (states.get(uid) == State.RUNNING_DIRTY && !closed) {
          continue;
        }
        states.remove(uid);
        return;
      } finally {
        lock.unlock();
      }
    }
  }

  private void runTimer() {
    while (true) {
      lock.lock();
      try {
        if (closed) {
          return;
        }
        Duration wait = MAX_TIMER_WAIT;
        if (!delayed.isEmpty()) {
          Duration until = Duration.between(clock.instant(), delayed.first().at());
          wait = until.compareTo(wait) < 0 ? until : wait;
        }
        if (!wait.isNegative() && !wait.isZero()) {
          changed.awaitNanos(wait.toNanos());
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      fireDue();
    }
  }

  /** Stops the timer and drops pending delayed syncs; a sync that runs finishes. */
  public void close() {
    Thread t;
    lock.lock();
    try {
      closed = true;
      delayed.clear();
      delayedByUid.clear();
      changed.signalAll();
      t = timer;
    } finally {
      lock.unlock();
    }
    if (t != null) {
      t.interrupt();
    }
  }
}
