package dev.skiff.client.events;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.Event;
import dev.skiff.api.v1.EventList;
import dev.skiff.api.v1.EventSource;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.ObjectReference;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.api.ResourceKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Events about objects (client-go's EventRecorder + a simple EventCorrelator).
 *
 * <p>{@link #event} never blocks: it puts the event in a bounded queue ({@value #QUEUE_CAPACITY})
 * and returns; when the queue is full the event is dropped and counted (logged every 100 drops).
 * One writer thread (a virtual thread, started on the first event) creates the Event objects. A
 * repeat of the same (object, type, reason, message) updates the Event already written: {@code
 * count + 1} and a new {@code lastTimestamp}; on a conflict it re-reads the Event and retries (up
 * to 3 times); if the Event was deleted meanwhile, it writes a new one. The writer remembers the
 * last {@value #CACHE_SIZE} events it wrote (LRU). Write failures are counted and logged (one line per
 * 100), never thrown: events are best effort, like Kubernetes'.
 */
public final class EventRecorder implements AutoCloseable {
  static final int QUEUE_CAPACITY = 1000;
  static final int CACHE_SIZE = 4096;
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final int UPDATE_ATTEMPTS = 3;

  private record Pending(ObjectReference ref, String type, String reason, String message, Instant at) {}

  private record AggregateKey(ObjectReference ref, String type, String reason, String message) {}

  private final ResourceClient<Event, EventList> events;
  private final String component;
  private final String host;
  private final Clock clock;
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong nameSeq = new AtomicLong();
  // Owned by the writer thread.
  private final Map<AggregateKey, Event> written = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<AggregateKey, Event> eldest) {
      return size() > CACHE_SIZE;
    }
  };
  // Guarded by `this`.
  private Thread writer;
  private boolean closed;

  public EventRecorder(SkiffClient client, String component, String host, Clock clock) {
    this.events = client.resource(Kinds.EVENT);
    this.component = component;
    this.host = host;
    this.clock = clock;
  }

  /**
   * Records that {@code reason} / {@code message} happened to {@code involvedObject} (any resource
   * message: Pod, Node, Deployment, ...). {@code type} is "Normal" or "Warning". Returns at once.
   */
  public void event(Message involvedObject, String type, String reason, String message) {
    Optional<ObjectReference> ref = referenceTo(involvedObject);
    if (ref.isEmpty()) {
      log.warn("{}: not recording event {} about a {}: not a resource kind", component, reason,
          involvedObject.getDescriptorForType().getFullName());
      return;
    }
    if (!ensureWriter()) {
      return;
    }
    if (!queue.offer(new Pending(ref.get(), type, reason, message, clock.instant()))) {
      long n = dropped.incrementAndGet();
      if (n % 100 == 1) {
        log.warn("{}: event queue full, dropped {} events so far (latest: {} {})", component, n, reason, message);
      }
    }
  }

  /** Events that could not be written (API errors); logged once per 100. */
  public long failedWrites() {
    return failed.get();
  }

  /** Events dropped because the queue was full. */
  public long droppedEvents() {
    return dropped.get();
  }

  /** Stops the writer after it has written what is queued (waiting up to 5 s); later events are ignored. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = writer;
    }
    if (t != null) {
      try {
        if (!t.join(Duration.ofSeconds(5))) {
          log.warn("{}: event writer still busy after 5s, {} events not written", component, queue.size());
          t.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private synchronized boolean ensureWriter() {
    if (closed) {
      return false;
    }
    if (writer == null) {
      writer = Thread.ofVirtual().name("event-recorder-" + component).start(this::run);
    }
    return true;
  }

  private void run() {
    try {
      while (true) {
        Pending next = queue.poll(100, TimeUnit.MILLISECONDS);
        if (next != null) {
          write(next);
        } else if (isClosed()) {
          return; // closed and drained
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private void write(Pending p) {
    // the object's identity without its resourceVersion: repeats on later versions aggregate
    AggregateKey key = new AggregateKey(p.ref().toBuilder().clearResourceVersion().build(), p.type(), p.reason(), p.message());
    try {
      Event previous = written.get(key);
      Event result = previous == null ? create(p) : bump(previous, p);
      written.put(key, result);
    } catch (ApiException e) {
      long n = failed.incrementAndGet();
      if (n % 100 == 1) {
        log.warn("{}: could not record event {} on {} {}/{} ({} failures so far): {}", component, p.reason(),
            p.ref().getKind(), p.ref().getNamespace(), p.ref().getName(), n, e.getMessage());
      }
    }
  }

  private Event create(Pending p) {
    String namespace = p.ref().getNamespace().isEmpty() ? "default" : p.ref().getNamespace();
    Event event = Event.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(eventName(p)))
        .setInvolvedObject(p.ref())
        .setReason(p.reason())
        .setMessage(p.message())
        .setType(p.type())
        .setSource(EventSource.newBuilder().setComponent(component).setHost(host))
        .setReportingComponent(component)
        .setReportingInstance(host)
        .setFirstTimestamp(timestamp(p.at()))
        .setLastTimestamp(timestamp(p.at()))
        .setCount(1)
        .build();
    return events.create(event);
  }

  /** count + 1 on the Event already written; re-reads on conflict; a new Event if it is gone. */
  private Event bump(Event previous, Pending p) {
    Event current = previous;
    for (int attempt = 1; ; attempt++) {
      try {
        return events.update(current.toBuilder()
            .setCount(current.getCount() + 1)
            .setLastTimestamp(timestamp(p.at()))
            .build());
      } catch (ApiException e) {
        if (e.isNotFound()) {
          return create(p);
        }
        if (!e.isConflict() || attempt == UPDATE_ATTEMPTS) {
          throw e;
        }
        Optional<Event> fresh = events.find(current.getMetadata().getNamespace(), current.getMetadata().getName());
        if (fresh.isEmpty()) {
          return create(p);
        }
        current = fresh.get();
      }
    }
  }

  private String eventName(Pending p) {
    long unique = p.at().toEpochMilli() * 1000 + (nameSeq.getAndIncrement() % 1000);
    return p.ref().getName() + "." + Long.toHexString(unique);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Optional<ObjectReference> referenceTo(Message obj) {
    for (ResourceKind kind : Kinds.all()) {
      if (kind.defaultInstance().getDescriptorForType() == obj.getDescriptorForType()) {
        ObjectMeta meta = kind.meta(obj);
        return Optional.of(ObjectReference.newBuilder()
            .setKind(kind.kind())
            .setApiVersion(kind.apiVersion())
            .setNamespace(meta.getNamespace())
            .setName(meta.getName())
            .setUid(meta.getUid())
            .setResourceVersion(meta.getResourceVersion())
            .build());
      }
    }
    return Optional.empty();
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
