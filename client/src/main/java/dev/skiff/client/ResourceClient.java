package dev.skiff.client;

import com.google.protobuf.Message;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.GetRequest;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.PatchRequest;
import dev.skiff.api.v1.WatchEventType;
import dev.skiff.api.v1.WatchRequest;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.client.api.TooManyRequests;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Calls one kind's service, generically: every method is {@code kind.method(name)} invoked with
 * {@link ClientCalls}, so there is no per-kind code. Failures are {@link ApiException}s.
 *
 * <p>Each unary call has the client's deadline. Get and List are retried on UNAVAILABLE with
 * exponential backoff (they are idempotent); mutating calls are not. Any call the server refused
 * as {@link TooManyRequests} (nothing done) is retried after the wait it asked for. Thread-safe.
 */
public final class ResourceClient<T extends Message, L extends Message> {
  /** Attempts of a call the server keeps refusing as too many requests (client-go's maxRetries + 1). */
  static final int THROTTLED_ATTEMPTS = 11;

  private final Channel channel;
  private final ResourceKind<T, L> kind;
  private final ClientOptions options;

  ResourceClient(Channel channel, ResourceKind<T, L> kind, ClientOptions options) {
    this.channel = channel;
    this.kind = kind;
    this.options = options;
  }

  public ResourceKind<T, L> kind() {
    return kind;
  }

  public T create(T obj) {
    return unary("Create", obj, false);
  }

  /** The object; ApiException(NOT_FOUND) when absent. */
  public T get(String namespace, String name) {
    return unary("Get", GetRequest.newBuilder().setNamespace(namespace).setName(name).build(), true);
  }

  /** The object, or empty when it does not exist. */
  public Optional<T> find(String namespace, String name) {
    try {
      return Optional.of(get(namespace, name));
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public L list(ListRequest request) {
    return unary("List", request, true);
  }

  /** Every object in {@code namespace}; "" lists all namespaces (or the cluster scope). */
  public L list(String namespace) {
    return list(ListRequest.newBuilder().setNamespace(namespace).build());
  }

  public T update(T obj) {
    return unary("Update", obj, false);
  }

  public T updateStatus(T obj) {
    return unary("UpdateStatus", obj, false);
  }

  /** Applies a JSON merge patch (RFC 7386, Kubernetes' JSON field names). */
  public T patch(String namespace, String name, String jsonMergePatch) {
    return unary("Patch",
        PatchRequest.newBuilder().setNamespace(namespace).setName(name).setPatch(jsonMergePatch).build(), false);
  }

  public T delete(DeleteRequest request) {
    return unary("Delete", request, false);
  }

  public T delete(String namespace, String name) {
    return delete(DeleteRequest.newBuilder().setNamespace(namespace).setName(name).build());
  }

  /**
   * Starts a watch; events go to {@code listener} on a gRPC thread, in order. The stream has no
   * deadline. Closing the returned {@link Watch} cancels it and ends it with {@code onClosed}; if an
   * event is being delivered at that moment, {@code close()} waits for it, so nothing reaches the
   * listener after {@code onClosed} or {@code onError}.
   */
  public Watch watch(WatchRequest request, WatchListener<T> listener) {
    @SuppressWarnings("unchecked")
    MethodDescriptor<WatchRequest, Message> method = (MethodDescriptor<WatchRequest, Message>) kind.method("Watch");
    ClientCall<WatchRequest, Message> call = channel.newCall(method, CallOptions.DEFAULT);
    WatchDelivery<T> delivery = new WatchDelivery<>(listener);
    ClientCalls.asyncServerStreamingCall(call, request, new StreamObserver<>() {
      @Override
      public void onNext(Message event) {
        delivery.event(kind.eventType(event), kind.eventObject(event));
      }

      @Override
      public void onError(Throwable t) {
        delivery.end(ApiException.from(t));
      }

      @Override
      public void onCompleted() {
        delivery.end(null);
      }
    });
    return new Watch(call, () -> delivery.end(null));
  }

  /** Hands one stream's callbacks to its listener, one at a time; nothing after the end. */
  private static final class WatchDelivery<T> {
    private final WatchListener<T> listener;
    // Guarded by `this`, held while the listener runs.
    private boolean finished;

    WatchDelivery(WatchListener<T> listener) {
      this.listener = listener;
    }

    synchronized void event(WatchEventType type, T object) {
      if (!finished) {
        listener.onEvent(type, object);
      }
    }

    /** Ends the stream: onError if {@code error} is given, else onClosed; only the first end counts. */
    synchronized void end(ApiException error) {
      if (finished) {
        return;
      }
      finished = true;
      if (error != null) {
        listener.onError(error);
      } else {
        listener.onClosed();
      }
    }
  }

  private <Q extends Message, R extends Message> R unary(String rpc, Q request, boolean idempotent) {
    @SuppressWarnings("unchecked")
    MethodDescriptor<Q, R> method = (MethodDescriptor<Q, R>) kind.method(rpc);
    Supplier<R> attempt = () -> ClientCalls.blockingUnaryCall(channel, method,
        CallOptions.DEFAULT.withDeadlineAfter(options.callTimeout().toNanos(), TimeUnit.NANOSECONDS), request);
    return withRetries(attempt, idempotent);
  }

  /**
   * Retries a call the server refused as {@link TooManyRequests} after the wait it asked for (up to
   * {@link #THROTTLED_ATTEMPTS} times, as client-go does for a Retry-After), and an idempotent one on
   * UNAVAILABLE with the policy's backoff.
   */
  private <R> R withRetries(Supplier<R> attempt, boolean idempotent) {
    RetryPolicy policy = options.retryPolicy();
    int unavailable = 0;
    int throttled = 0;
    while (true) {
      try {
        return attempt.get();
      } catch (StatusRuntimeException e) {
        Optional<java.time.Duration> wait = TooManyRequests.retryAfter(e);
        if (wait.isPresent() && ++throttled < THROTTLED_ATTEMPTS) {
          sleep(wait.get());
        } else if (idempotent && e.getStatus().getCode() == Status.Code.UNAVAILABLE
            && ++unavailable < policy.maxAttempts()) {
          sleep(policy.backoff(unavailable));
        } else {
          throw ApiException.from(e);
        }
      }
    }
  }

  private static void sleep(java.time.Duration base) {
    long nanos = base.toNanos();
    nanos += (long) (nanos * 0.2 * ThreadLocalRandom.current().nextDouble());
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(Status.Code.CANCELLED, "interrupted while waiting to retry", java.util.List.of(), e);
    }
  }
}
