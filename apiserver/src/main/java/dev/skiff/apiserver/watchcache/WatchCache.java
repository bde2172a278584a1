package dev.skiff.apiserver.watchcache;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.WatchEventType;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.registry.CacheReader;
import dev.skiff.apiserver.registry.ObjectCodec;
import dev.skiff.client.etcd.EtcdClient;
import dev.skiff.client.etcd.EtcdException;
import dev.skiff.client.etcd.EtcdWatch;
import dev.skiff.client.etcd.EtcdWatchListener;
import dev.skiff.client.etcd.RangePage;
import dev.skiff.client.etcd.WatchOptions;
import dev.skiff.proto.etcd.mvcc.Event;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch cache of one kind, fed by ONE store watch: the current objects at {@link #revision()},
 * a ring of the most recent changes, and the client watchers. Any number of watchers cost one
 * store watch; each has its own bounded queue, so a slow one never delays the others.
 *
 * <p>Threading: store events arrive on the store watch's gRPC thread; {@code lock} guards the
 * objects, the ring, the revision and the watcher set, so that a new watcher's starting point
 * (initial state or ring replay) and later events never overlap or leave a gap. Watchers only
 * get non-blocking offers under the lock.
 */
public final class WatchCache<T extends Message> implements CacheReader<T>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WatchCache.class);

  private final ObjectCodec<T> codec;
  private final EtcdClient store;
  private final int ringCapacity;
  private final int watcherQueue;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition advanced = lock.newCondition();
  private final Set<CacheWatcher<T>> watchers = ConcurrentHashMap.newKeySet();

  // @GuardedBy("lock")
  private final TreeMap<String, T> objects = new TreeMap<>();
  private final ArrayDeque<CacheEvent<T>> ring = new ArrayDeque<>();
  private long revision;
  private long coveredFrom;
  private boolean ready;
  private boolean closed;
  private EtcdWatch storeWatch;

  public WatchCache(ObjectCodec<T> codec, EtcdClient store, int ringCapacity, int watcherQueue) {
    this.codec = codec;
    this.store = store;
    this.ringCapacity = ringCapacity;
    this.watcherQueue = watcherQueue;
  }

  /** Lists the kind from the store and starts the store watch (blocking until listed). */
  public void start() {
    List<T> listed = new ArrayList<>();
    ByteString prefix = codec.prefix();
    ByteString end = EtcdClient.prefixEnd(prefix);
    ByteString from = prefix;
    long rev = 0;
    while (true) {
      RangePage page = store.range(from, end, 1000, rev);
      if (rev == 0) {
        rev = page.revision();
      }
      for (KeyValue kv : page.kvs()) {
        listed.add(codec.decode(kv));
      }
      if (!page.more() || page.kvs().isEmpty()) {
        break;
      }
      from = page.kvs().getLast().getKey().concat(ByteString.copyFrom(new byte[] {0}));
    }
    lock.lock();
    try {
      if (closed) {
        return;
      }
      objects.clear();
      ring.clear();
      listed.forEach(o -> objects.put(codec.kind().key(o), o));
      revision = rev;
      coveredFrom = rev;
      ready = true;
      advanced.signalAll();
      storeWatch = store.watch(WatchOptions.prefix(prefix, rev + 1), new Listener());
    } finally {
      lock.unlock();
    }
    log.info("watch cache of {} ready: {} objects at revision {}", codec.kind().plural(), listed.size(), rev);
  }

  @Override
  public long revision() {
    lock.lock();
    try {
      return revision;
    } finally {
      lock.unlock();
    }
  }

  public boolean ready() {
    lock.lock();
    try {
      return ready;
    } finally {
      lock.unlock();
    }
  }

  public int watcherCount() {
    return watchers.size();
  }

  @Override
  public Optional<Snapshot<T>> snapshot(long minRevision, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean asked = false;
    lock.lock();
    try {
      while (!ready || revision < minRevision) {
        if (!asked && storeWatch != null && minRevision > 0) {
          storeWatch.requestProgress();
          asked = true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || closed) {
          return Optional.empty();
        }
        advanced.awaitNanos(left);
      }
      return Optional.of(new Snapshot<>(revision, new ArrayList<>(objects.values())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  private boolean awaitReady(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    lock.lock();
    try {
      while (!ready && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        advanced.awaitNanos(left);
      }
      return ready;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<T> peek(String key) {
    lock.lock();
    try {
      return Optional.ofNullable(objects.get(key));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Registers a watcher. {@code fromRevision} &lt; 0 starts with ADDED events for the current
   * state; otherwise the events after that revision are replayed from the ring (OUT_OF_RANGE
   * when the ring no longer reaches back that far). Waits up to 3 s for a starting cache.
   */
  public CacheWatcher<T> watch(long fromRevision, Predicate<T> filter, boolean bookmarks, WatchSink sink) {
    if (!awaitReady(Duration.ofSeconds(3))) {
      throw ApiError.unavailable("the watch cache of " + codec.kind().plural() + " is not ready yet; retry");
    }
    CacheWatcher<T> w;
    lock.lock();
    try {
      if (fromRevision >= 0 && fromRevision < coveredFrom) {
        throw ApiError.gone("too old resource version: " + fromRevision + " (" + coveredFrom + ")");
      }
      List<T> initial = new ArrayList<>();
      if (fromRevision < 0) {
        objects.values().stream().filter(filter).forEach(initial::add);
      }
      long replay = fromRevision < 0 ? 0 : ring.stream().filter(e -> e.revision() > fromRevision).count();
      long start = fromRevision < 0 ? revision : fromRevision;
      w = new CacheWatcher<>(codec.kind(), filter, bookmarks, start,
          watcherQueue + initial.size() + (int) replay, sink, watchers::remove);
      if (fromRevision < 0) {
        initial.forEach(w::offerInitial);
      } else {
        ring.forEach(w::offer);
      }
      watchers.add(w);
    } finally {
      lock.unlock();
    }
    w.start();
    return w;
  }

  /** Sends a BOOKMARK at the cache's revision to every watcher that allows bookmarks. Steppable. */
  public void sendBookmarks() {
    EtcdWatch sw;
    lock.lock();
    try {
      sw = storeWatch;
      if (!ready) {
        return;
      }
      T marker = codec.kind().withMeta(codec.kind().defaultInstance(),
          ObjectMeta.newBuilder().setResourceVersion(Long.toString(revision)).build());
      EncodedEvent bookmark = EncodedEvent.of(codec.kind().newWatchEvent(WatchEventType.BOOKMARK, marker));
      for (CacheWatcher<T> w : watchers) {
        if (w.wantsBookmarks()) {
          w.offerBookmark(bookmark);
        }
      }
    } finally {
      lock.unlock();
    }
    if (sw != null) {
      sw.requestProgress(); // so that the next bookmark carries a fresher revision
    }
  }

  private void apply(List<Event> events, long headerRevision) {
    List<CacheEvent<T>> decoded = new ArrayList<>(events.size());
    lock.lock();
    try {
      for (Event e : events) {
        String key = e.getKv().getKey().substring(codec.prefix().size()).toStringUtf8();
        long rev = e.getKv().getModRevision();
        T previous = objects.get(key);
        CacheEvent<T> ce;
        if (e.getType() == Event.EventType.DELETE) {
          if (previous == null) {
            continue;
          }
          objects.remove(key);
          ce = new CacheEvent<>(WatchEventType.DELETED, codec.withResourceVersion(previous, rev), previous, rev);
        } else {
          T obj = codec.decode(e.getKv());
          objects.put(key, obj);
          ce = new CacheEvent<>(previous == null ? WatchEventType.ADDED : WatchEventType.MODIFIED, obj, previous, rev);
        }
        decoded.add(ce);
        ring.addLast(ce);
        while (ring.size() > ringCapacity) {
          coveredFrom = ring.removeFirst().revision();
        }
        revision = Math.max(revision, rev);
        for (CacheWatcher<T> w : watchers) {
          w.offer(ce);
        }
      }
      revision = Math.max(revision, headerRevision);
      advanced.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void progress(long rev) {
    lock.lock();
    try {
      if (rev > revision) {
        revision = rev;
      }
      advanced.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void failed(EtcdException error) {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      ready = false;
      for (CacheWatcher<T> w : watchers) {
        w.terminate(new ApiError(Status.Code.ABORTED, "the watch cache of " + codec.kind().plural()
            + " lost its store watch (" + error.getMessage() + "); list again and watch"));
      }
      watchers.clear();
    } finally {
      lock.unlock();
    }
    log.warn("watch cache of {} lost its store watch: {}; re-listing", codec.kind().plural(), error.getMessage());
    Thread.ofVirtual().start(() -> {
      try {
        TimeUnit.MILLISECONDS.sleep(100);
        startRetrying();
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /**
   * {@link #start()}, retried with a growing pause (0.1 s to 5 s) while the store cannot be
   * listed (not reachable yet, no leader); returns once started, or when the cache is closed.
   */
  public void startRetrying() throws InterruptedException {
    for (long backoff = 100; ; backoff = Math.min(5_000, backoff * 2)) {
      try {
        start();
        return;
      } catch (RuntimeException e) {
        log.warn("watch cache of {} could not list the store: {}; retrying in {} ms", codec.kind().plural(),
            e.getMessage(), backoff);
      }
      lock.lock();
      try {
        if (closed) {
          return;
        }
      } finally {
        lock.unlock();
      }
      TimeUnit.MILLISECONDS.sleep(backoff);
    }
  }

  @Override
  public void close() {
    EtcdWatch sw;
    lock.lock();
    try {
      closed = true;
      ready = false;
      sw = storeWatch;
      watchers.forEach(w -> w.terminate(ApiError.unavailable("the apiserver is shutting down; reconnect")));
      watchers.clear();
      advanced.signalAll();
    } finally {
      lock.unlock();
    }
    if (sw != null) {
      sw.close();
    }
  }

  private final class Listener implements EtcdWatchListener {
    @Override
    public void onEvents(List<Event> events, long rev) {
      apply(events, rev);
    }

    @Override
    public void onProgress(long rev) {
      progress(rev);
    }

    @Override
    public void onError(EtcdException error) {
      failed(error);
    }
  }
}
