package dev.skiff.client;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.GetRequest;
import dev.skiff.api.v1.ListMeta;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.PatchRequest;
import dev.skiff.api.v1.WatchEventType;
import dev.skiff.api.v1.WatchRequest;
import dev.skiff.client.api.LabelSelectors;
import dev.skiff.client.api.ResourceKind;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A hand-written fake of the API server for client tests: every kind's standard methods over
 * in-memory maps, behind a real in-process gRPC server. It keeps the API's rules that the client
 * relies on: a global revision as resourceVersion, ALREADY_EXISTS / NOT_FOUND / ABORTED (stale
 * version) / INVALID_ARGUMENT with BadRequest, watches from a version with history replay,
 * OUT_OF_RANGE after {@link #compact()}, field and label selectors (filtered watchers see an
 * object leaving the selection as DELETED), paging. Test hooks break streams and inject failures.
 * All state is guarded by {@code this}; watch events are sent under it, so streams are ordered.
 */
public final class FakeApiServer implements AutoCloseable {
  private record Change(long revision, ResourceKind<?, ?> kind, Message before, Message after) {}

  private record Watcher(ResourceKind<?, ?> kind, WatchRequest request, ServerCallStreamObserver<Message> stream) {}

  private final String serverName = "fake-apiserver-" + UUID.randomUUID();
  private final List<ResourceKind<?, ?>> kinds;
  private final Map<ResourceKind<?, ?>, TreeMap<String, Message>> objects = new HashMap<>();
  private final List<Change> history = new ArrayList<>();
  private final List<Watcher> watchers = new ArrayList<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final Map<String, List<Status.Code>> injected = new HashMap<>();
  private final Map<String, Integer> throttled = new HashMap<>();
  private long revision = 1;
  private long compacted;
  private boolean available = true;
  private Server server;

  public FakeApiServer(List<ResourceKind<?, ?>> kinds) {
    this.kinds = List.copyOf(kinds);
    kinds.forEach(k -> objects.put(k, new TreeMap<>()));
  }

  public FakeApiServer start() throws IOException {
    InProcessServerBuilder builder = InProcessServerBuilder.forName(serverName);
    kinds.forEach(k -> builder.addService(service(k)));
    server = builder.build().start();
    return this;
  }

  public ManagedChannel newChannel() {
    return InProcessChannelBuilder.forName(serverName).build();
  }

  /** Drops the change history: watches from older versions now fail with OUT_OF_RANGE. */
  public synchronized void compact() {
    compacted = revision;
    history.clear();
  }

  /** Fails every open watch stream with UNAVAILABLE (a server going away). */
  public synchronized void breakWatches() {
    for (Watcher w : watchers) {
      w.stream().onError(Status.UNAVAILABLE.withDescription("fake: stream broken").asRuntimeException());
    }
    watchers.clear();
  }

  /**
   * Ends every open watch stream normally, then runs {@code changes} before any client can watch
   * again (all under the server's lock): clients miss those changes unless they relist.
   */
  public synchronized void closeWatchesThen(Runnable changes) {
    for (Watcher w : watchers) {
      w.stream().onCompleted();
    }
    watchers.clear();
    changes.run();
  }

  /** While unavailable every call fails with UNAVAILABLE; going unavailable breaks open watches. */
  public synchronized void setAvailable(boolean available) {
    this.available = available;
    if (!available) {
      breakWatches();
    }
  }

  /** The next calls of {@code rpc} ("List", "Get", ...) fail with these codes, in order. */
  /** The next {@code times} calls of {@code rpc} are refused as too many requests, retry after 0 s. */
  public synchronized void throttleNext(String rpc, int times) {
    throttled.merge(rpc, times, Integer::sum);
  }

  public synchronized void failNext(String rpc, Status.Code... codes) {
    injected.computeIfAbsent(rpc, r -> new ArrayList<>()).addAll(List.of(codes));
  }

  public int calls(String rpc) {
    return calls.getOrDefault(rpc, new AtomicInteger()).get();
  }

  public synchronized int openWatches() {
    return watchers.size();
  }

  /** The requests of the watches open now, in the order they were opened. */
  public synchronized List<WatchRequest> openWatchRequests() {
    return watchers.stream().map(Watcher::request).toList();
  }

  /** Deletes directly (works while unavailable): for "delete missed by a disconnected client". */
  public synchronized void deleteDirectly(ResourceKind<?, ?> kind, String key) {
    Message old = objects.get(kind).remove(key);
    if (old != null) {
      record(kind, old, null);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdownNow();
    }
  }

  @SuppressWarnings("unchecked")
  private ServerServiceDefinition service(ResourceKind<?, ?> kind) {
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(kind.service());
    Map<String, BiConsumer<Message, StreamObserver<Message>>> handlers = Map.of(
        "Create", (req, out) -> unary(out, () -> create(kind, req)),
        "Get", (req, out) -> unary(out, () -> get(kind, (GetRequest) req)),
        "List", (req, out) -> unary(out, () -> list(kind, (ListRequest) req)),
        "Update", (req, out) -> unary(out, () -> update(kind, req)),
        "UpdateStatus", (req, out) -> unary(out, () -> update(kind, req)),
        "Patch", (req, out) -> unary(out, () -> patch(kind, (PatchRequest) req)),
        "Delete", (req, out) -> unary(out, () -> delete(kind, (DeleteRequest) req)),
        "Watch", (req, out) -> watch(kind, (WatchRequest) req, (ServerCallStreamObserver<Message>) out));
    for (MethodDescriptor<?, ?> m : kind.service().getMethods()) {
      MethodDescriptor<Message, Message> method = (MethodDescriptor<Message, Message>) m;
      BiConsumer<Message, StreamObserver<Message>> handler = handlers.getOrDefault(m.getBareMethodName(),
          (req, out) -> out.onError(Status.UNIMPLEMENTED.withDescription("fake: " + m.getBareMethodName()).asRuntimeException()));
      String rpc = m.getBareMethodName();
      BiConsumer<Message, StreamObserver<Message>> counted = (req, out) -> {
        calls.computeIfAbsent(rpc, r -> new AtomicInteger()).incrementAndGet();
        StatusRuntimeException failure = injectedFailure(rpc);
        if (failure != null) {
          out.onError(failure);
        } else {
          handler.accept(req, out);
        }
      };
      b.addMethod(method, m.getType() == MethodDescriptor.MethodType.SERVER_STREAMING
          ? ServerCalls.asyncServerStreamingCall(counted::accept)
          : ServerCalls.asyncUnaryCall(counted::accept));
    }
    return b.build();
  }

  private synchronized StatusRuntimeException injectedFailure(String rpc) {
    if (!available) {
      return Status.UNAVAILABLE.withDescription("fake: server unavailable").asRuntimeException();
    }
    if (throttled.getOrDefault(rpc, 0) > 0) {
      throttled.merge(rpc, -1, Integer::sum);
      io.grpc.Metadata trailers = new io.grpc.Metadata();
      trailers.put(dev.skiff.client.api.TooManyRequests.RETRY_AFTER, "0");
      return Status.RESOURCE_EXHAUSTED.withDescription("fake: too many requests").asRuntimeException(trailers);
    }
    List<Status.Code> codes = injected.get(rpc);
    if (codes == null || codes.isEmpty()) {
      return null;
    }
    return Status.fromCode(codes.removeFirst()).withDescription("fake: injected failure").asRuntimeException();
  }

  private interface Call {
    Message run();
  }

  private static void unary(StreamObserver<Message> out, Call call) {
    Message result;
    try {
      result = call.run();
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    out.onNext(result);
    out.onCompleted();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private synchronized Message create(ResourceKind kind, Message obj) {
    ObjectMeta meta = kind.meta(obj);
    List<BadRequest.FieldViolation> violations = new ArrayList<>();
    if (meta.getName().isEmpty() && meta.getGenerateName().isEmpty()) {
      violations.add(violation("metadata.name", "name or generateName is required"));
    }
    if (kind.namespaced() && meta.getNamespace().isEmpty()) {
      violations.add(violation("metadata.namespace", "a namespace is required for " + kind.plural()));
    }
    if (!violations.isEmpty()) {
      throw invalid(kind.kind() + " is invalid", violations);
    }
    if (meta.getName().isEmpty()) {
      meta = meta.toBuilder().setName(meta.getGenerateName() + Long.toString(revision, 36)).build();
    }
    String key = kind.key(meta.getNamespace(), meta.getName());
    if (objects.get(kind).containsKey(key)) {
      throw Status.ALREADY_EXISTS.withDescription(kind.plural() + " \"" + meta.getName() + "\" already exists").asRuntimeException();
    }
    Instant now = Instant.now();
    meta = meta.toBuilder()
        .setUid(UUID.randomUUID().toString())
        .setCreationTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond()))
        .setResourceVersion(Long.toString(revision + 1))
        .build();
    Message stored = kind.withTypeMeta(kind.withMeta(obj, meta));
    objects.get(kind).put(key, stored);
    record(kind, null, stored);
    return stored;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private synchronized Message get(ResourceKind kind, GetRequest req) {
    Message obj = objects.get(kind).get(kind.key(req.getNamespace(), req.getName()));
    if (obj == null) {
      throw notFound(kind, req.getName());
    }
    return obj;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private synchronized Message list(ResourceKind kind, ListRequest req) {
    List<Message> items = new ArrayList<>();
    String next = "";
    for (Map.Entry<String, Message> e : objects.get(kind).tailMap(req.getContinue(), true).entrySet()) {
      if (!matches(kind, e.getValue(), req.getNamespace(), req.getLabelSelector(), req.getFieldSelector())) {
        continue;
      }
      if (req.getLimit() > 0 && items.size() == req.getLimit()) {
        next = e.getKey();
        break;
      }
      items.add(e.getValue());
    }
    ListMeta meta = ListMeta.newBuilder().setResourceVersion(Long.toString(revision)).setContinue(next).build();
    return kind.newList(meta, items);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private synchronized Message update(ResourceKind kind, Message obj) {
    ObjectMeta meta = kind.meta(obj);
    String key = kind.key(meta.getNamespace(), meta.getName());
    Message old = objects.get(kind).get(key);
    if (old == null) {
      throw notFound(kind, meta.getName());
    }
    ObjectMeta oldMeta = kind.meta(old);
    if (!meta.getResourceVersion().isEmpty() && !meta.getResourceVersion().equals(oldMeta.getResourceVersion())) {
      throw Status.ABORTED.withDescription("the object has been modified (resourceVersion " + meta.getResourceVersion()
          + " is not the current " + oldMeta.getResourceVersion() + "); read it again and retry").asRuntimeException();
    }
    meta = meta.toBuilder().setUid(oldMeta.getUid()).setCreationTimestamp(oldMeta.getCreationTimestamp())
        .setResourceVersion(Long.toString(revision + 1)).build();
    Message stored = kind.withTypeMeta(kind.withMeta(obj, meta));
    objects.get(kind).put(key, stored);
    record(kind, old, stored);
    return stored;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private synchronized Message patch(ResourceKind kind, PatchRequest req) {
    Message old = get(kind, GetRequest.newBuilder().setNamespace(req.getNamespace()).setName(req.getName()).build());
    try {
      JsonObject target = JsonParser.parseString(JsonFormat.printer().print(old)).getAsJsonObject();
      JsonElement merged = mergePatch(target, JsonParser.parseString(req.getPatch()));
      Message.Builder builder = old.newBuilderForType();
      JsonFormat.parser().merge(merged.toString(), builder);
      Message patched = builder.build();
      ObjectMeta meta = kind.meta(patched).toBuilder().setResourceVersion(req.getResourceVersion()).build();
      return update(kind, kind.withMeta(patched, meta));
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      if (e instanceof StatusRuntimeException sre) {
        throw sre;
      }
      throw Status.INVALID_ARGUMENT.withDescription("bad merge patch: " + e.getMessage()).asRuntimeException();
    }
  }

  private static JsonElement mergePatch(JsonElement target, JsonElement patch) {
    if (!patch.isJsonObject()) {
      return patch;
    }
    JsonObject result = target != null && target.isJsonObject() ? target.getAsJsonObject().deepCopy() : new JsonObject();
    for (Map.Entry<String, JsonElement> e : patch.getAsJsonObject().entrySet()) {
      if (e.getValue().isJsonNull()) {
        result.remove(e.getKey());
      } else {
        result.add(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private synchronized Message delete(ResourceKind kind, DeleteRequest req) {
    String key = kind.key(req.getNamespace(), req.getName());
    Message old = objects.get(kind).get(key);
    if (old == null) {
      throw notFound(kind, req.getName());
    }
    if (req.getPreconditions().hasResourceVersion()
        && !req.getPreconditions().getResourceVersion().equals(kind.meta(old).getResourceVersion())) {
      throw Status.ABORTED.withDescription("precondition failed: resourceVersion changed").asRuntimeException();
    }
    objects.get(kind).remove(key);
    return record(kind, old, null);
  }

  /** Records a change at the next revision and sends it to matching watchers; returns the object as deleted or stored. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Message record(ResourceKind kind, Message before, Message after) {
    revision++;
    if (after == null) {
      // a deleted object is reported at the revision of its deletion
      before = kind.withMeta(before, kind.meta(before).toBuilder().setResourceVersion(Long.toString(revision)).build());
    }
    Change change = new Change(revision, kind, before, after);
    history.add(change);
    for (Iterator<Watcher> it = watchers.iterator(); it.hasNext(); ) {
      Watcher w = it.next();
      if (w.stream().isCancelled()) {
        it.remove();
      } else if (w.kind() == kind) {
        send(w, change);
      }
    }
    return after != null ? after : before;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void send(Watcher w, Change c) {
    ResourceKind kind = w.kind();
    WatchRequest r = w.request();
    boolean was = c.before() != null && matches(kind, c.before(), r.getNamespace(), r.getLabelSelector(), r.getFieldSelector());
    boolean is = c.after() != null && matches(kind, c.after(), r.getNamespace(), r.getLabelSelector(), r.getFieldSelector());
    if (is) {
      w.stream().onNext(kind.newWatchEvent(was ? WatchEventType.MODIFIED : WatchEventType.ADDED, c.after()));
    } else if (was) {
      Message gone = c.after() != null ? c.after() : c.before();
      w.stream().onNext(kind.newWatchEvent(WatchEventType.DELETED, gone));
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private synchronized void watch(ResourceKind kind, WatchRequest req, ServerCallStreamObserver<Message> out) {
    long from = req.getResourceVersion().isEmpty() ? 0 : Long.parseLong(req.getResourceVersion());
    if (from != 0 && from < compacted) {
      out.onError(Status.OUT_OF_RANGE.withDescription("resourceVersion " + from + " is compacted (oldest "
          + compacted + "); list again").asRuntimeException());
      return;
    }
    Watcher w = new Watcher(kind, req, out);
    if (from == 0) {
      for (Message obj : objects.get(kind).values()) {
        send(w, new Change(revision, kind, null, obj));
      }
    } else {
      for (Change c : history) {
        if (c.revision() > from && c.kind() == kind) {
          send(w, c);
        }
      }
    }
    watchers.add(w);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static boolean matches(ResourceKind kind, Message obj, String namespace, String labels, String fields) {
    ObjectMeta meta = kind.meta(obj);
    if (!namespace.isEmpty() && !namespace.equals(meta.getNamespace())) {
      return false;
    }
    if (!labels.isEmpty() && !LabelSelectors.parse(labels).matches(meta.getLabelsMap())) {
      return false;
    }
    for (String term : fields.isEmpty() ? new String[0] : fields.split(",")) {
      boolean negated = term.contains("!=");
      String[] kv = term.split(negated ? "!=" : "==?", 2);
      if (fieldValue(obj, kv[0].trim()).equals(kv[1].trim()) == negated) {
        return false;
      }
    }
    return true;
  }

  /** The value at a JSON-named path like {@code spec.nodeName}, "" when unset. */
  private static String fieldValue(Message obj, String path) {
    Object current = obj;
    for (String part : path.split("\\.")) {
      if (!(current instanceof Message m)) {
        return "";
      }
      FieldDescriptor field = m.getDescriptorForType().getFields().stream()
          .filter(f -> f.getJsonName().equals(part)).findFirst()
          .orElseThrow(() -> Status.INVALID_ARGUMENT.withDescription("unknown field selector path " + path).asRuntimeException());
      current = m.getField(field);
    }
    return String.valueOf(current);
  }

  private static StatusRuntimeException notFound(ResourceKind<?, ?> kind, String name) {
    return Status.NOT_FOUND.withDescription(kind.plural() + " \"" + name + "\" not found").asRuntimeException();
  }

  private static BadRequest.FieldViolation violation(String field, String description) {
    return BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description).build();
  }

  private static StatusRuntimeException invalid(String message, List<BadRequest.FieldViolation> violations) {
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(Code.INVALID_ARGUMENT_VALUE)
        .setMessage(message)
        .addDetails(Any.pack(BadRequest.newBuilder().addAllFieldViolations(violations).build()))
        .build());
  }
}
