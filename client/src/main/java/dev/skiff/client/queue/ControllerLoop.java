package dev.skiff.client.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Reconciler} over a {@link WorkQueue}: take a key, reconcile it, then
 * {@code forget} it on success or {@code addRateLimited} it on failure, then {@code done}.
 *
 * <p>Threads: the constructor starts nothing. {@link #start} starts {@code workers} virtual
 * threads named {@code <name>-worker-<i>}; since the queue never hands one key to two workers, a
 * reconciler runs concurrently only for different keys. {@link #processNext} does one step on the
 * caller's thread instead (steppable tests). {@link #close} shuts the queue down, lets each worker
 * finish the key it holds, and drops keys still queued.
 */
public final class ControllerLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControllerLoop.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  private final String name;
  private final WorkQueue<String> queue;
  private final Reconciler reconciler;
  private final int workers;
  // Guarded by `this`.
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closed;

  public ControllerLoop(String name, WorkQueue<String> queue, Reconciler reconciler, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException(name + ": workers must be at least 1, got " + workers);
    }
    this.name = name;
    this.queue = queue;
    this.reconciler = reconciler;
    this.workers = workers;
  }

  /** Starts the worker threads; idempotent. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException(name + ": controller loop is closed");
    }
    if (!threads.isEmpty()) {
      return;
    }
    for (int i = 0; i < workers; i++) {
      threads.add(Thread.ofVirtual().name(name + "-worker-" + i).start(this::runWorker));
    }
    log.info("{}: started {} workers", name, workers);
  }

  /** Handles one key if one is ready now; returns whether it did. */
  public boolean processNext() {
    Optional<String> key = queue.poll();
    key.ifPresent(this::handle);
    return key.isPresent();
  }

  private void runWorker() {
    try {
      String key;
      while (!closed && (key = queue.take()) != null) {
        if (closed) {
          queue.done(key); // dropped: the loop is closing
          return;
        }
        handle(key);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(String key) {
    try {
      reconciler.reconcile(key);
      queue.forget(key);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      queue.addRateLimited(key);
    } catch (Exception e) {
      log.warn("{}: reconcile {} failed (requeue {}): {}", name, key, queue.numRequeues(key) + 1, e.toString());
      log.debug("{}: reconcile {} failure detail", name, key, e);
      queue.addRateLimited(key);
    } finally {
      queue.done(key);
    }
  }

  /** Shuts the queue down and waits (up to 10 s, then interrupts) for the workers to stop. */
  @Override
  public void close() {
    List<Thread> toJoin;
    synchronized (this) {
      closed = true;
      toJoin = List.copyOf(threads);
    }
    queue.shutDown();
    for (Thread t : toJoin) {
      try {
        if (!t.join(CLOSE_WAIT)) {
          log.warn("{}: worker {} still busy after {}, interrupting", name, t.getName(), CLOSE_WAIT);
          t.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
