package dev.skiff.apiserver.grpc;

import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.watchcache.EncodedEvent;
import dev.skiff.apiserver.watchcache.WatchSink;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A watch's gRPC server stream with flow control: {@link #send} waits while the transport is
 * not ready, so a slow client fills its watcher's bounded queue (and gets cut off) instead of
 * the server's memory. Called from the watcher's thread; readiness callbacks come from gRPC.
 */
final class WatchStream implements WatchSink {
  private final ServerCallStreamObserver<EncodedEvent> call;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private volatile boolean cancelled;

  WatchStream(ServerCallStreamObserver<EncodedEvent> call) {
    this.call = call;
    call.setOnReadyHandler(this::signal);
    call.setOnCancelHandler(() -> {
      cancelled = true;
      signal();
    });
  }

  void onCancel(Runnable r) {
    call.setOnCancelHandler(() -> {
      cancelled = true;
      signal();
      r.run();
    });
  }

  private void signal() {
    lock.lock();
    try {
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean send(EncodedEvent event) {
    lock.lock();
    try {
      while (!cancelled && !call.isReady()) {
        ready.awaitNanos(100_000_000L);
      }
    } catch (InterruptedException e) {
      return false; // the watcher was terminated while waiting: it closes the stream itself
    } finally {
      lock.unlock();
    }
    if (cancelled) {
      return false;
    }
    synchronized (this) {
      call.onNext(event);
    }
    return true;
  }

  @Override
  public synchronized void close(ApiError error) {
    if (cancelled) {
      return;
    }
    cancelled = true;
    try {
      if (error == null) {
        call.onCompleted();
      } else {
        call.onError(StatusMapper.toStatus(error));
      }
    } catch (IllegalStateException alreadyClosed) {
      // the call ended meanwhile
    }
  }
}
