package dev.skiff.client.informer;

import com.google.protobuf.Message;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.ResourceKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands out one {@link SharedInformer} per (kind, field selector), so components of one process
 * share caches and watches. Informers asked for after {@link #start()} are started by the next
 * {@code start()} call (so indexers can be added first). Thread-safe.
 */
public final class InformerFactory implements AutoCloseable {
  private record Key(ResourceKind<?, ?> kind, String fieldSelector) {}

  private final SkiffClient client;
  private final Duration resyncPeriod;
  // Guarded by `this`.
  private final Map<Key, SharedInformer<?>> informers = new LinkedHashMap<>();
  private boolean closed;

  /** {@code resyncPeriod} zero disables periodic resync. */
  public InformerFactory(SkiffClient client, Duration resyncPeriod) {
    this.client = client;
    this.resyncPeriod = resyncPeriod;
  }

  public <T extends Message, L extends Message> SharedInformer<T> informerFor(ResourceKind<T, L> kind) {
    return informerFor(kind, "");
  }

  /** The informer of {@code kind} restricted by {@code fieldSelector}, e.g. {@code spec.nodeName=n1}. */
  @SuppressWarnings("unchecked")
  public synchronized <T extends Message, L extends Message> SharedInformer<T> informerFor(
      ResourceKind<T, L> kind, String fieldSelector) {
    if (closed) {
      throw new IllegalStateException("informer factory is closed");
    }
    return (SharedInformer<T>) informers.computeIfAbsent(new Key(kind, fieldSelector),
        k -> new SharedInformer<>(client.resource(kind), fieldSelector, resyncPeriod));
  }

  /** Starts every informer not yet started: each lists, then watches. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("informer factory is closed");
    }
    informers.values().forEach(SharedInformer::start);
  }

  /** Waits until every informer has synced; false if {@code timeout} passes first. */
  public boolean waitForSync(Duration timeout) {
    List<SharedInformer<?>> all;
    synchronized (this) {
      all = new ArrayList<>(informers.values());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (SharedInformer<?> informer : all) {
        if (!informer.awaitSynced(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops every informer and its watch. */
  @Override
  public void close() {
    List<SharedInformer<?>> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(informers.values());
    }
    all.forEach(SharedInformer::stop);
  }
}
