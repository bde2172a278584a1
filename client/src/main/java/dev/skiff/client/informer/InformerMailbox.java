package dev.skiff.client.informer;

import dev.skiff.api.v1.WatchEventType;
import dev.skiff.client.ApiException;
import dev.skiff.client.WatchListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The informer thread's inbox: watch callbacks (from gRPC threads), handler registrations and the
 * stop request (from any thread) become {@link Signal}s in one unbounded FIFO queue.
 *
 * <p>Thread model: any thread puts; only the informer's thread takes ({@link #next}, {@link #idle},
 * {@link #dropWatchSignals}). Watch signals carry the generation of the watch that produced them,
 * so the taker can tell a stale stream's leftovers from the current one.
 */
final class InformerMailbox<T> {
  sealed interface Signal<T> {}

  record Event<T>(long generation, WatchEventType type, T object) implements Signal<T> {}

  /** A watch ended: {@code error} null when it was closed (by the server or by us). */
  record WatchEnded<T>(long generation, ApiException error) implements Signal<T> {}

  record AddHandler<T>(ResourceEventHandler<T> handler) implements Signal<T> {}

  record Stop<T>() implements Signal<T> {}

  private final LinkedBlockingQueue<Signal<T>> queue = new LinkedBlockingQueue<>();

  void addHandler(ResourceEventHandler<T> handler) {
    queue.add(new AddHandler<>(handler));
  }

  void stop() {
    queue.add(new Stop<>());
  }

  /** A listener that posts one watch's callbacks here, tagged with {@code generation}. */
  WatchListener<T> listenerFor(long generation) {
    return new WatchListener<>() {
      @Override
      public void onEvent(WatchEventType type, T object) {
        queue.add(new Event<>(generation, type, object));
      }

      @Override
      public void onError(Throwable t) {
        queue.add(new WatchEnded<>(generation, ApiException.from(t)));
      }

      @Override
      public void onClosed() {
        queue.add(new WatchEnded<>(generation, null));
      }
    };
  }

  /** The next signal; waits for ever if {@code timeout} is null, else null once it has passed. */
  Signal<T> next(Duration timeout) throws InterruptedException {
    if (timeout == null) {
      return queue.take();
    }
    return timeout.isPositive() ? queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS) : null;
  }

  /**
   * Empties the queue of watch signals (stale once the informer relists), handing pending handler
   * registrations to {@code register}, in order; a stop request stays queued.
   */
  void dropWatchSignals(Consumer<ResourceEventHandler<T>> register) {
    List<Signal<T>> pending = new ArrayList<>();
    queue.drainTo(pending);
    for (Signal<T> signal : pending) {
      if (signal instanceof AddHandler<T> add) {
        register.accept(add.handler());
      } else if (signal instanceof Stop<T> stop) {
        queue.add(stop);
      }
    }
  }

  /**
   * Waits {@code d} (a backoff), handing handler registrations that arrive to {@code register};
   * returns early on a stop request. Watch signals that arrive are stale: dropped.
   */
  void idle(Duration d, Consumer<ResourceEventHandler<T>> register) throws InterruptedException {
    long deadline = System.nanoTime() + d.toNanos();
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      Signal<T> signal = queue.poll(left, TimeUnit.NANOSECONDS);
      if (signal instanceof AddHandler<T> add) {
        register.accept(add.handler());
      } else if (signal instanceof Stop<T>) {
        return;
      }
    }
  }
}
