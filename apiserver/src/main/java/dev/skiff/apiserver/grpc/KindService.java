package dev.skiff.apiserver.grpc;

import com.google.protobuf.Message;
import dev.skiff.api.v1.Binding;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.GetRequest;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.PatchRequest;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodExecRequest;
import dev.skiff.api.v1.PodList;
import dev.skiff.api.v1.PodLogChunk;
import dev.skiff.api.v1.PodLogRequest;
import dev.skiff.api.v1.WatchRequest;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.node.NodeRouter;
import dev.skiff.apiserver.registry.FieldSelector;
import dev.skiff.apiserver.registry.ObjectCodec;
import dev.skiff.apiserver.registry.Registry;
import dev.skiff.apiserver.registry.StoredObject;
import dev.skiff.apiserver.watchcache.CacheWatcher;
import dev.skiff.apiserver.watchcache.EncodedEvent;
import dev.skiff.apiserver.watchcache.WatchCache;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.api.LabelMatcher;
import dev.skiff.client.api.LabelSelectors;
import dev.skiff.client.api.ResourceKind;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Builds the gRPC service of one kind generically from the kind's method descriptors: each
 * method is a thin adapter onto the registry or the watch cache; failures go through
 * {@link StatusMapper}. No per-kind service classes.
 */
public final class KindService<T extends Message, L extends Message> {
  private final ResourceKind<T, L> kind;
  private final Registry<T, L> registry;
  private final WatchCache<T> cache;
  private final ScheduledExecutorService timers;
  private final PodSubresources pods;

  @SuppressWarnings("unchecked")
  public KindService(Registry<T, L> registry, WatchCache<T> cache, ScheduledExecutorService timers,
                     NodeRouter router, Clock clock) {
    this.kind = registry.kind();
    this.registry = registry;
    this.cache = cache;
    this.timers = timers;
    this.pods = kind == Kinds.POD
        ? new PodSubresources((Registry<Pod, PodList>) (Registry<?, ?>) registry, router, clock) : null;
  }

  public ServerServiceDefinition definition() {
    ServiceDescriptor service = EncodedReplies.of(kind.service());
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(service);
    for (MethodDescriptor<?, ?> m : service.getMethods()) {
      @SuppressWarnings("unchecked")
      MethodDescriptor<Message, Object> method = (MethodDescriptor<Message, Object>) m;
      switch (m.getBareMethodName()) {
        case "Create" -> b.addMethod(method, unary(req -> {
          StoredObject<T> created = registry.createStored(cast(req));
          return new EncodedReplies.EncodedObject(
              registry.codec().encodeWithResourceVersion(created.value(), created.revision()));
        }));
        case "Get" -> b.addMethod(method, unary(req -> {
          GetRequest g = (GetRequest) req;
          return registry.get(namespace(g.getNamespace()), g.getName());
        }));
        case "List" -> b.addMethod(method, unary(req -> registry.list((ListRequest) req)));
        case "Update" -> b.addMethod(method, unary(req -> registry.update(cast(req))));
        case "UpdateStatus" -> b.addMethod(method, unary(req -> registry.updateStatus(cast(req))));
        case "Patch" -> b.addMethod(method, unary(req -> {
          PatchRequest p = (PatchRequest) req;
          return registry.patch(p.toBuilder().setNamespace(namespace(p.getNamespace())).build());
        }));
        case "Delete" -> b.addMethod(method, unary(req -> {
          DeleteRequest d = (DeleteRequest) req;
          return registry.delete(d.toBuilder().setNamespace(namespace(d.getNamespace())).build());
        }));
        case "Watch" -> {
          @SuppressWarnings("unchecked")
          MethodDescriptor<Message, EncodedEvent> encoded = (MethodDescriptor<Message, EncodedEvent>) m;
          b.addMethod(encoded, ServerCalls.asyncServerStreamingCall((req, out) -> watch((WatchRequest) req, out)));
        }
        case "Bind" -> b.addMethod(method, unary(req -> pods.bind((Binding) req)));
        case "Exec" -> b.addMethod(method, unary(req -> pods.exec((PodExecRequest) req)));
        case "GetLogs" -> b.addMethod(method, ServerCalls.asyncServerStreamingCall((req, out) -> {
          try {
            @SuppressWarnings("unchecked")
            StreamObserver<PodLogChunk> logs = (StreamObserver<PodLogChunk>) (StreamObserver<?>) out;
            pods.getLogs((PodLogRequest) req, logs);
          } catch (RuntimeException e) {
            out.onError(StatusMapper.toStatus(e));
          }
        }));
        default -> throw new IllegalStateException("no handler for " + m.getFullMethodName());
      }
    }
    return b.build();
  }

  @SuppressWarnings("unchecked")
  private T cast(Message m) {
    return (T) m;
  }

  /** A namespaced kind's empty namespace means "default" for single-object calls. */
  private String namespace(String ns) {
    return kind.namespaced() && ns.isEmpty() ? "default" : ns;
  }

  /** A unary handler; {@code body} answers a message or an already encoded reply ({@link EncodedReplies}). */
  private static ServerCalls.UnaryMethod<Message, Object> unaryMethod(Function<Message, Object> body) {
    return (req, out) -> {
      Object result;
      try {
        result = body.apply(req);
      } catch (RuntimeException e) {
        out.onError(StatusMapper.toStatus(e));
        return;
      }
      out.onNext(result);
      out.onCompleted();
    };
  }

  private static io.grpc.ServerCallHandler<Message, Object> unary(Function<Message, Object> body) {
    return ServerCalls.asyncUnaryCall(unaryMethod(body));
  }

  private void watch(WatchRequest req, StreamObserver<EncodedEvent> out) {
    try {
      String ns = req.getNamespace();
      if (!kind.namespaced() && !ns.isEmpty()) {
        throw ApiError.badRequest("namespace", "Forbidden: " + kind.plural() + " are cluster-scoped: leave namespace empty");
      }
      LabelMatcher labels;
      try {
        labels = LabelSelectors.parse(req.getLabelSelector());
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("labelSelector", "Invalid value: \"" + req.getLabelSelector() + "\": " + e.getMessage());
      }
      FieldSelector fields = FieldSelector.parse(req.getFieldSelector(), kind);
      Predicate<T> filter = obj -> (ns.isEmpty() || kind.meta(obj).getNamespace().equals(ns))
          && labels.matches(kind.meta(obj).getLabelsMap()) && fields.matches(kind, obj);
      String rv = req.getResourceVersion();
      long from = rv.isEmpty() || rv.equals("0") ? -1 : ObjectCodec.parseResourceVersion(rv, "resourceVersion");
      ServerCallStreamObserver<EncodedEvent> call = (ServerCallStreamObserver<EncodedEvent>) out;
      WatchStream stream = new WatchStream(call);
      CacheWatcher<T> watcher = cache.watch(from, filter, req.getAllowBookmarks(), stream);
      stream.onCancel(watcher::close);
      if (req.getTimeoutSeconds() > 0) {
        timers.schedule(watcher::close, req.getTimeoutSeconds(), TimeUnit.SECONDS);
      }
    } catch (RuntimeException e) {
      out.onError(StatusMapper.toStatus(e));
    }
  }
}
