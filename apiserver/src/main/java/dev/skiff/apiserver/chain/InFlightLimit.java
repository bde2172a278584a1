package dev.skiff.apiserver.chain;

import dev.skiff.client.api.TooManyRequests;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kubernetes' max-in-flight filter: at most {@code mutating} mutating and {@code readOnly} other
 * requests are served at once, server-wide; one more is refused at once with
 * {@link TooManyRequests} (retry after 1 s) instead of queuing. Without it an overloaded server
 * admits everything, falls behind its store deadline, and every queued write times out after using
 * CPU: goodput collapses. Long-running calls (Watch, GetLogs, Exec) are not counted, as in
 * Kubernetes. A limit of 0 means no limit.
 *
 * <p>Shared by every kind's service; a permit is held from the call's start to its close or
 * cancellation, whichever comes first, and released once. gRPC tells a call of its cancellation
 * only after its handler returns, so a cancelled request counts as long as it still works.
 */
public final class InFlightLimit implements ServerInterceptor {
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final Semaphore mutatingPermits;
  private final Semaphore readOnlyPermits;
  private final int mutating;
  private final int readOnly;

  public InFlightLimit(int readOnly, int mutating) {
    if (readOnly < 0 || mutating < 0) {
      throw new IllegalArgumentException("in-flight limits must be 0 (none) or positive");
    }
    this.readOnly = readOnly;
    this.mutating = mutating;
    this.readOnlyPermits = readOnly == 0 ? null : new Semaphore(readOnly);
    this.mutatingPermits = mutating == 0 ? null : new Semaphore(mutating);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                     ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    if (longRunning(method)) {
      return next.startCall(call, headers);
    }
    boolean isMutating = RequestChain.mutating(method);
    Semaphore permits = isMutating ? mutatingPermits : readOnlyPermits;
    if (permits == null) {
      return next.startCall(call, headers);
    }
    if (!permits.tryAcquire()) {
      call.close(TooManyRequests.status("too many requests in flight (" + (isMutating
              ? mutating + " mutating" : readOnly + " read-only") + "), please try again later"),
          TooManyRequests.trailers(RETRY_AFTER));
      return new ServerCall.Listener<>() {};
    }
    AtomicBoolean held = new AtomicBoolean(true);
    Runnable release = () -> {
      if (held.compareAndSet(true, false)) {
        permits.release();
      }
    };
    ServerCall<Q, R> releasing = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        release.run();
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<Q> delegate;
    try {
      delegate = next.startCall(releasing, headers);
    } catch (RuntimeException e) {
      release.run();
      throw e;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onCancel() {
        release.run();
        super.onCancel();
      }

      @Override
      public void onComplete() {
        release.run();
        super.onComplete();
      }
    };
  }

  private static boolean longRunning(String method) {
    return switch (method) {
      case "Watch", "GetLogs", "Exec" -> true;
      default -> false;
    };
  }
}
