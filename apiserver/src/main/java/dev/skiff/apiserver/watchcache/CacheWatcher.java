package dev.skiff.apiserver.watchcache;

import com.google.protobuf.Message;
import dev.skiff.api.v1.WatchEventType;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.client.api.ResourceKind;
import io.grpc.Status;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client watch fed by a {@link WatchCache}: a bounded queue filled by the cache's dispatch
 * (never blocking it) and drained to the client by this watcher's own virtual thread. A watcher
 * whose queue fills up is cut off with RESOURCE_EXHAUSTED so that its client relists; the other
 * watchers are not affected.
 */
public final class CacheWatcher<T extends Message> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CacheWatcher.class);
  private static final Object END = new Object();

  private final ResourceKind<T, ?> kind;
  private final Predicate<T> filter;
  private final boolean bookmarks;
  private final long startRevision;
  private final WatchSink sink;
  private final BlockingQueue<Object> queue;
  private final java.util.function.Consumer<CacheWatcher<T>> onClose;
  private final int capacity;
  private volatile ApiError terminalError;
  private volatile boolean closed;
  private volatile Thread thread;

  CacheWatcher(ResourceKind<T, ?> kind, Predicate<T> filter, boolean bookmarks, long startRevision,
               int capacity, WatchSink sink, java.util.function.Consumer<CacheWatcher<T>> onClose) {
    this.kind = kind;
    this.filter = filter;
    this.bookmarks = bookmarks;
    this.startRevision = startRevision;
    this.sink = sink;
    this.capacity = capacity;
    // linked, not an array: most watchers keep up, and a long queue holds only references to
    // events already encoded once for every watcher, so a generous bound costs nothing up front
    this.queue = new LinkedBlockingQueue<>(capacity + 1);
    this.onClose = onClose;
  }

  boolean wantsBookmarks() {
    return bookmarks;
  }

  /**
   * Queues one object of the initial state (ADDED); the caller filtered it. Called before start(),
   * under the cache's lock: the event is serialized later, on this watcher's thread.
   */
  void offerInitial(T obj) {
    if (!queue.offer(kind.newWatchEvent(WatchEventType.ADDED, obj))) {
      cutOff();
    }
  }

  /** Called by the cache's dispatch for every change, in revision order. */
  void offer(CacheEvent<T> e) {
    if (closed || e.revision() <= startRevision) {
      return;
    }
    boolean now = filter.test(e.object());
    boolean before = e.previous() != null && filter.test(e.previous());
    WatchEventType type = switch (e.type()) {
      case ADDED -> now ? WatchEventType.ADDED : null;
      case DELETED -> before ? WatchEventType.DELETED : null;
      default -> now ? (before ? WatchEventType.MODIFIED : WatchEventType.ADDED) : (before ? WatchEventType.DELETED : null);
    };
    if (type != null && !queue.offer(e.message(kind, type))) {
      cutOff();
    }
  }

  void offerBookmark(EncodedEvent bookmark) {
    if (!closed) {
      queue.offer(bookmark); // a bookmark that does not fit is simply skipped
    }
  }

  private void cutOff() {
    terminate(new ApiError(Status.Code.RESOURCE_EXHAUSTED, "watch of " + kind.plural()
        + " closed: the client fell behind by more than " + capacity + " events; list again and watch from the list's resourceVersion"));
  }

  /** Ends the watch with {@code error} (null: normal end) after what is already queued is dropped. */
  void terminate(ApiError error) {
    if (closed) {
      return;
    }
    closed = true;
    terminalError = error;
    queue.clear();
    queue.offer(END);
    Thread t = thread;
    if (t != null && error != null) {
      t.interrupt(); // it may be waiting for a client that stopped reading
    }
  }

  /** Starts the sending thread. */
  void start() {
    thread = Thread.ofVirtual().name("watch-" + kind.plural()).start(this::drain);
  }

  private void drain() {
    try {
      while (true) {
        Object next = queue.take();
        if (next == END) {
          break;
        }
        EncodedEvent event = next instanceof EncodedEvent e ? e : EncodedEvent.of((Message) next);
        if (!sink.send(event)) {
          closed = true;
          break;
        }
      }
      sink.close(terminalError);
    } catch (InterruptedException e) {
      sink.close(terminalError);
    } catch (RuntimeException e) {
      log.warn("watch of {} failed while sending: {}", kind.plural(), e.toString());
      sink.close(ApiError.internal("watch failed: " + e.getMessage()));
    } finally {
      closed = true;
      onClose.accept(this);
    }
  }

  /** The client went away: stop sending. */
  @Override
  public void close() {
    terminate(null);
  }
}
