package dev.skiff.client.etcd;

import dev.skiff.proto.etcd.WatchCreateRequest;
import dev.skiff.proto.etcd.WatchGrpc;
import dev.skiff.proto.etcd.WatchProgressRequest;
import dev.skiff.proto.etcd.WatchRequest;
import dev.skiff.proto.etcd.WatchResponse;
import dev.skiff.proto.etcd.mvcc.Event;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One store watch on its own bidirectional stream. When the stream breaks (endpoint down,
 * failover) it is opened again from the next unseen revision after a short backoff, so the
 * listener sees every revision once, in order.
 *
 * <p>Threading: responses arrive on gRPC threads, one at a time per stream; a new stream is
 * only opened after the old one has ended, so listener calls never overlap. Mutable state is
 * guarded by {@code this}.
 */
public final class EtcdWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EtcdWatch.class);
  private static final long MAX_BACKOFF_MS = 2_000;

  private final Channel channel;
  private final WatchOptions options;
  private final EtcdWatchListener listener;

  // @GuardedBy("this")
  private long nextRevision;
  private boolean closed;
  private ClientCallStreamObserver<WatchRequest> stream;
  private long backoffMs = 100;
  private int generation;

  EtcdWatch(Channel channel, WatchOptions options, EtcdWatchListener listener) {
    this.channel = channel;
    this.options = options;
    this.listener = listener;
    this.nextRevision = options.startRevision();
  }

  /** The next revision this watch will report (0 until the store told us where "now" is). */
  public synchronized long nextRevision() {
    return nextRevision;
  }

  /** Asks the store for a progress notification (answered once the watch has caught up). */
  public synchronized void requestProgress() {
    if (stream != null && !closed) {
      stream.onNext(WatchRequest.newBuilder()
          .setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
    }
  }

  synchronized void start() {
    if (closed) {
      return;
    }
    int gen = ++generation;
    WatchCreateRequest create = WatchCreateRequest.newBuilder()
        .setKey(options.key())
        .setRangeEnd(options.rangeEnd())
        .setStartRevision(nextRevision)
        .setProgressNotify(options.progressNotify())
        .setPrevKv(options.prevKv())
        .build();
    // Listener calls run on a virtual thread, never on the thread that delivered the response:
    // over an in-process channel with a direct executor that is the store's apply thread.
    WatchGrpc.newStub(channel).withExecutor(Thread::startVirtualThread).watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
        synchronized (EtcdWatch.this) {
          stream = requestStream;
        }
      }

      @Override
      public void onNext(WatchResponse response) {
        handle(gen, response);
      }

      @Override
      public void onError(Throwable t) {
        ended(gen, Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        ended(gen, Status.UNAVAILABLE.withDescription("store closed the watch stream"));
      }
    }).onNext(WatchRequest.newBuilder().setCreateRequest(create).build());
  }

  private void handle(int gen, WatchResponse r) {
    List<Event> fresh;
    long revision = r.getHeader().getRevision();
    synchronized (this) {
      if (closed || gen != generation) {
        return;
      }
      backoffMs = 100;
      if (r.getCanceled()) {
        closed = true;
        stream.cancel("watch canceled by the store", null);
      } else if (r.getCreated()) {
        if (nextRevision == 0) {
          nextRevision = revision + 1;
        }
        return;
      }
    }
    if (r.getCanceled()) {
      if (r.getCompactRevision() > 0) {
        listener.onError(new EtcdCompactedException(r.getCompactRevision(),
            "watch from revision " + options.startRevision() + " is too old: the store compacted to "
                + r.getCompactRevision(), null));
      } else {
        listener.onError(new EtcdException(Status.FAILED_PRECONDITION,
            "watch canceled by the store: " + r.getCancelReason(), null));
      }
      return;
    }
    if (r.getEventsCount() == 0) {
      synchronized (this) {
        if (revision >= nextRevision) {
          nextRevision = revision + 1;
        }
      }
      listener.onProgress(revision);
      return;
    }
    synchronized (this) {
      fresh = new ArrayList<>(r.getEventsCount());
      for (Event e : r.getEventsList()) {
        if (e.getKv().getModRevision() >= nextRevision) {
          fresh.add(e);
        }
      }
      if (!fresh.isEmpty()) {
        nextRevision = fresh.getLast().getKv().getModRevision() + 1;
      }
    }
    if (!fresh.isEmpty()) {
      listener.onEvents(fresh, revision);
    }
  }

  private void ended(int gen, Status status) {
    long delay;
    synchronized (this) {
      if (closed || gen != generation) {
        return;
      }
      if (!retryable(status.getCode())) {
        closed = true;
      }
      delay = backoffMs;
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }
    if (!retryable(status.getCode())) {
      listener.onError(new EtcdException(status, "store watch failed: " + status, status.asRuntimeException()));
      return;
    }
    log.debug("store watch on {} broke ({}), resuming from revision {} in {} ms",
        options.key().toStringUtf8(), status.getCode(), nextRevision(), delay);
    CompletableFuture.runAsync(this::start, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS));
  }

  private static boolean retryable(Status.Code code) {
    return switch (code) {
      case UNAVAILABLE, UNKNOWN, INTERNAL, DEADLINE_EXCEEDED, CANCELLED, ABORTED, RESOURCE_EXHAUSTED -> true;
      default -> false;
    };
  }

  @Override
  public void close() {
    ClientCallStreamObserver<WatchRequest> s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = stream;
    }
    if (s != null) {
      s.cancel("watch closed", null);
    }
  }
}
