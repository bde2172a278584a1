package dev.skiff.client.informer;

import com.google.protobuf.Message;
import dev.skiff.api.v1.ListMeta;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.WatchEventType;
import dev.skiff.api.v1.WatchRequest;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.Watch;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.client.informer.InformerMailbox.AddHandler;
import dev.skiff.client.informer.InformerMailbox.Event;
import dev.skiff.client.informer.InformerMailbox.Signal;
import dev.skiff.client.informer.InformerMailbox.Stop;
import dev.skiff.client.informer.InformerMailbox.WatchEnded;
import io.grpc.Status;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a local, indexed cache of one kind (optionally filtered by a field selector) in step with
 * the API server, and tells handlers about every change (client-go's shared informer).
 *
 * <p>Protocol: list (in pages), then watch from the list's resourceVersion. Each watch asks the
 * server to end it after 5 to 10 minutes (random), so a stream on a connection that died silently
 * does not stall the cache for ever. A watch that the server ends normally is re-opened from the
 * last version seen; a watch that fails with OUT_OF_RANGE
 * (version compacted) is followed by an immediate relist; any other failure (broken stream,
 * server gone) by a relist after an exponential backoff (100 ms .. 30 s). A relist is diffed
 * against the cache: new objects are added, changed ones updated, and objects no longer listed are
 * delivered to {@code onDelete} in their last cached state (deletes missed while disconnected).
 * Every {@code resyncPeriod} (if positive) each cached object is re-delivered as
 * {@code onUpdate(o, o)}.
 *
 * <p>Thread model: {@link #start()} starts one virtual thread, {@code informer-<plural>}, that owns
 * the cache and the handler list: it runs the list calls, applies every watch event (gRPC threads
 * only put events in its {@link InformerMailbox}, an unbounded queue), and calls the handlers, in order. Other
 * threads only read the cache through {@link #lister()}. The constructor starts nothing.
 */
public final class SharedInformer<T extends Message> {
  private static final Logger log = LoggerFactory.getLogger(SharedInformer.class);
  private static final int PAGE_SIZE = 500;
  private static final Duration HEALTHY_WATCH = Duration.ofSeconds(5);
  /** Watches ask the server to end them after 5..10 min (client-go's minWatchTimeout, jittered). */
  private static final long MIN_WATCH_TIMEOUT_SECONDS = 300;

  private final ResourceClient<T, ?> client;
  private final ResourceKind<T, ?> kind;
  private final String fieldSelector;
  private final Duration resyncPeriod;
  private final String name;
  private final IndexedCache<T> cache;
  private final InformerMailbox<T> mailbox = new InformerMailbox<>();
  private final CountDownLatch synced = new CountDownLatch(1);
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));

  // Owned by the informer thread.
  private final HandlerList<T> handlers;
  private String lastResourceVersion = "";
  private long watchGeneration;
  private long nextResyncNanos;

  // Guarded by `this`.
  private Thread thread;
  private Watch watch;
  private volatile boolean running;

  private enum Outcome { CLOSED, EXPIRED, FAILED, STOPPED }

  SharedInformer(ResourceClient<T, ?> client, String fieldSelector, Duration resyncPeriod) {
    this.client = client;
    this.kind = client.kind();
    this.fieldSelector = fieldSelector;
    this.resyncPeriod = resyncPeriod;
    this.name = "informer-" + kind.plural() + (fieldSelector.isEmpty() ? "" : "[" + fieldSelector + "]");
    this.cache = new IndexedCache<>(kind);
    this.handlers = new HandlerList<>(name);
  }

  /**
   * Adds a handler, before or after start. A handler added after the cache filled first gets
   * {@code onAdd} for every cached object, then the changes that follow.
   */
  public void addEventHandler(ResourceEventHandler<T> handler) {
    mailbox.addHandler(handler);
  }

  /** Adds an index; only before {@link #start()}. */
  public synchronized void addIndexer(String indexName, Function<T, Collection<String>> indexFunction) {
    if (thread != null) {
      throw new IllegalStateException(name + ": add indexers before the informer starts");
    }
    cache.addIndexer(indexName, indexFunction);
  }

  public Lister<T> lister() {
    return cache;
  }

  /** True once the first list has been applied to the cache and delivered to the handlers. */
  public boolean hasSynced() {
    return synced.getCount() == 0;
  }

  /** Waits until {@link #hasSynced()}; false on timeout. */
  public boolean awaitSynced(Duration timeout) throws InterruptedException {
    return synced.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  public ResourceKind<T, ?> kind() {
    return kind;
  }

  public String fieldSelector() {
    return fieldSelector;
  }

  /** Starts the informer thread; idempotent. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    thread = Thread.ofVirtual().name(name).start(this::run);
  }

  /** Stops the thread and the watch; waits up to 5 s for the thread to end. */
  void stop() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
      if (watch != null) {
        watch.close();
      }
    }
    mailbox.stop();
    if (t != null) {
      try {
        if (!t.join(Duration.ofSeconds(5))) {
          t.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    scheduleResync();
    boolean needList = true;
    try {
      while (running) {
        if (needList) {
          try {
            relist();
          } catch (RuntimeException e) { // ApiException, or a bug: the informer must not die
            Duration wait = backoff.next();
            log.warn("{}: list failed, retrying in {} ms: {}", name, wait.toMillis(), e.getMessage());
            idle(wait);
            continue;
          }
        }
        long started = System.nanoTime();
        Outcome outcome = watchUntilEnd();
        boolean healthy = System.nanoTime() - started > HEALTHY_WATCH.toNanos();
        if (healthy) {
          backoff.reset();
        }
        switch (outcome) {
          case STOPPED -> { return; }
          case EXPIRED -> needList = true;
          case CLOSED -> {
            needList = false;
            if (!healthy) {
              idle(backoff.next());
            }
          }
          case FAILED -> {
            needList = true;
            idle(backoff.next());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      log.debug("{}: stopped", name);
    }
  }

  /** Lists every page and makes the cache equal to the result, telling handlers the differences. */
  private void relist() throws InterruptedException {
    // handlers added since the last look see this list's changes (and hasSynced() covers them)
    mailbox.dropWatchSignals(this::register);
    Map<String, T> fresh = new LinkedHashMap<>();
    String version = null;
    String token = "";
    do {
      ListRequest.Builder request = ListRequest.newBuilder().setFieldSelector(fieldSelector).setLimit(PAGE_SIZE).setContinue(token);
      Message page = client.list(request.build());
      @SuppressWarnings("unchecked")
      ResourceKind<T, Message> k = (ResourceKind<T, Message>) kind;
      ListMeta meta = k.listMeta(page);
      if (version == null) {
        version = meta.getResourceVersion();
      }
      for (T obj : k.items(page)) {
        fresh.put(kind.key(obj), obj);
      }
      token = meta.getContinue();
    } while (!token.isEmpty());

    for (Map.Entry<String, T> gone : cache.snapshot().entrySet()) {
      if (!fresh.containsKey(gone.getKey())) {
        cache.remove(gone.getKey());
        handlers.onDelete(gone.getValue());
      }
    }
    for (T obj : fresh.values()) {
      T old = cache.put(obj);
      if (old == null) {
        handlers.onAdd(obj);
      } else if (!version(old).equals(version(obj))) {
        handlers.onUpdate(old, obj);
      }
    }
    lastResourceVersion = version;
    if (synced.getCount() > 0) {
      synced.countDown();
      log.info("{}: synced {} objects at version {}", name, fresh.size(), version);
    }
  }

  /** Opens a watch from the last version and applies its events until it ends or the informer stops. */
  private Outcome watchUntilEnd() throws InterruptedException {
    long generation = ++watchGeneration;
    WatchRequest request = WatchRequest.newBuilder()
        .setResourceVersion(lastResourceVersion)
        .setFieldSelector(fieldSelector)
        .setAllowBookmarks(true)
        .setTimeoutSeconds(MIN_WATCH_TIMEOUT_SECONDS + ThreadLocalRandom.current().nextLong(MIN_WATCH_TIMEOUT_SECONDS))
        .build();
    synchronized (this) {
      if (!running) {
        return Outcome.STOPPED;
      }
      watch = client.watch(request, mailbox.listenerFor(generation));
    }
    try {
      while (true) {
        Signal<T> signal = mailbox.next(untilResync());
        if (signal == null) {
          resync();
          continue;
        }
        switch (signal) {
          case Event<T> e when e.generation() == generation -> apply(e.type(), e.object());
          case Event<T> stale -> { }
          case WatchEnded<T> end when end.generation() == generation -> {
            return outcomeOf(end.error());
          }
          case WatchEnded<T> stale -> { }
          case AddHandler<T> add -> register(add.handler());
          case Stop<T> stop -> {
            return Outcome.STOPPED;
          }
        }
      }
    } finally {
      synchronized (this) {
        watch.close();
        watch = null;
      }
    }
  }

  private Outcome outcomeOf(ApiException error) {
    if (error == null) {
      log.debug("{}: watch closed by the server at version {}, re-watching", name, lastResourceVersion);
      return Outcome.CLOSED;
    }
    if (error.code() == Status.Code.OUT_OF_RANGE) {
      log.info("{}: version {} is compacted, relisting", name, lastResourceVersion);
      return Outcome.EXPIRED;
    }
    log.warn("{}: watch failed, relisting: {}", name, error.getMessage());
    return Outcome.FAILED;
  }

  private void apply(WatchEventType type, T obj) {
    String version = version(obj);
    switch (type) {
      case ADDED, MODIFIED -> {
        T old = cache.put(obj);
        if (old == null) {
          handlers.onAdd(obj);
        } else {
          handlers.onUpdate(old, obj);
        }
      }
      case DELETED -> {
        cache.remove(kind.key(obj));
        handlers.onDelete(obj);
      }
      case BOOKMARK -> { }
      default -> log.warn("{}: ignoring watch event of type {}", name, type);
    }
    if (!version.isEmpty()) {
      lastResourceVersion = version;
    }
  }

  /** Waits {@code d} (backoff) while still registering handlers and honouring stop. */
  private void idle(Duration d) throws InterruptedException {
    mailbox.idle(d, this::register);
  }

  /** How long until the next resync; null when resync is off. */
  private Duration untilResync() {
    if (resyncPeriod.isZero() || resyncPeriod.isNegative()) {
      return null;
    }
    return Duration.ofNanos(nextResyncNanos - System.nanoTime());
  }

  private void resync() {
    scheduleResync();
    for (T obj : cache.snapshot().values()) {
      handlers.onUpdate(obj, obj);
    }
  }

  private void scheduleResync() {
    nextResyncNanos = System.nanoTime() + resyncPeriod.toNanos();
  }

  private void register(ResourceEventHandler<T> handler) {
    handlers.add(handler, cache.snapshot().values());
  }

  private String version(T obj) {
    return kind.meta(obj).getResourceVersion();
  }

  @Override
  public String toString() {
    return name;
  }
}
