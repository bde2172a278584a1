package dev.skiff.controllers;

import com.google.protobuf.Message;
import dev.skiff.client.informer.ResourceEventHandler;
import dev.skiff.client.queue.ControllerLoop;
import dev.skiff.client.queue.RateLimiters;
import dev.skiff.client.queue.Reconciler;
import dev.skiff.client.queue.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;

/**
 * The plumbing every controller shares: a rate-limited {@link WorkQueue} of string keys and the
 * {@link ControllerLoop} that feeds them to one idempotent {@link Reconciler}.
 *
 * <p>Threads: the constructor starts nothing; {@link #start} starts the loop's workers;
 * {@link #processNext} steps one key on the caller's thread instead (tests). The enqueue methods
 * are safe from any thread (informer handlers call them).
 */
public final class WorkLoop implements AutoCloseable {
  private final String name;
  private final WorkQueue<String> queue;
  private final ControllerLoop loop;

  public WorkLoop(String name, Reconciler reconciler, int workers, Clock clock) {
    this.name = name;
    this.queue = new WorkQueue<>(name, RateLimiters.defaultControllerRateLimiter(clock), clock);
    this.loop = new ControllerLoop(name, queue, reconciler, workers);
  }

  public String name() {
    return name;
  }

  public void add(String key) {
    queue.add(key);
  }

  public void addAfter(String key, Duration delay) {
    if (delay.isNegative() || delay.isZero()) {
      queue.add(key);
    } else {
      queue.addAfter(key, delay);
    }
  }

  /** A handler that enqueues {@code keyOf(object)} on every add, update and delete. */
  public <T extends Message> ResourceEventHandler<T> enqueueing(Function<T, String> keyOf) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T o) {
        add(keyOf.apply(o));
      }

      @Override
      public void onUpdate(T oldO, T newO) {
        add(keyOf.apply(newO));
      }

      @Override
      public void onDelete(T o) {
        add(keyOf.apply(o));
      }
    };
  }

  /** Handles one ready key on the caller's thread; whether there was one. */
  public boolean processNext() {
    return loop.processNext();
  }

  /** Handles ready keys on the caller's thread until none is ready; how many were handled. */
  public int drain() {
    int n = 0;
    while (loop.processNext()) {
      n++;
    }
    return n;
  }

  public int length() {
    return queue.length();
  }

  public void start() {
    loop.start();
  }

  @Override
  public void close() {
    loop.close();
  }
}
