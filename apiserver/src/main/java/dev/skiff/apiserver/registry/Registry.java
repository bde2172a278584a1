package dev.skiff.apiserver.registry;

import com.google.protobuf.Message;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.PatchRequest;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.strategy.Strategy;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.client.etcd.EtcdClient;
import java.time.Clock;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The one registry implementation, serving any kind: create, get, list, update, updateStatus,
 * patch and delete over the store, with optimistic concurrency on the store's mod revision
 * (which is every object's resourceVersion). Kind-specific rules come from its {@link Strategy};
 * the work is done by {@link Creation}, {@link GuaranteedUpdate}, {@link GracefulDelete} and
 * {@link StoreLister} over {@link StoredObjects}.
 *
 * <p>Thread-safe and stateless between calls; calls block on the store (run them on virtual
 * threads). Failures are {@link ApiError}s or {@code EtcdException}s.
 */
public final class Registry<T extends Message, L extends Message> {
  private final ResourceKind<T, L> kind;
  private final ObjectCodec<T> codec;
  private final Strategy<T> strategy;
  private final StoredObjects<T> objects;
  private final Creation<T> creation;
  private final GuaranteedUpdate<T> updates;
  private final GracefulDelete<T> deletes;
  private final StoreLister<T, L> lister;

  /** {@code namespaces} is used for namespaced kinds only; {@code cache} may be null (every write then reads first). */
  public Registry(ResourceKind<T, L> kind, Strategy<T> strategy, EtcdClient store, Clock clock,
                  NamespaceGuard namespaces, CacheReader<T> cache) {
    this(kind, strategy, store, clock, namespaces, cache, new WrittenRevision());
  }

  /** As above; every successful write advances {@code written}. */
  public Registry(ResourceKind<T, L> kind, Strategy<T> strategy, EtcdClient store, Clock clock,
                  NamespaceGuard namespaces, CacheReader<T> cache, WrittenRevision written) {
    this.kind = kind;
    this.codec = new ObjectCodec<>(kind);
    this.strategy = strategy;
    this.objects = new StoredObjects<>(kind, codec, strategy, store, cache, written);
    this.creation = new Creation<>(kind, codec, strategy, objects, clock, kind.namespaced() ? namespaces : null, new Uids());
    this.updates = new GuaranteedUpdate<>(kind, codec, strategy, objects);
    this.deletes = new GracefulDelete<>(kind, codec, strategy, objects, clock);
    this.lister = new StoreLister<>(kind, codec, store, cache);
  }

  public ResourceKind<T, L> kind() {
    return kind;
  }

  public ObjectCodec<T> codec() {
    return codec;
  }

  public Strategy<T> strategy() {
    return strategy;
  }

  /** Creates the object; returns it as stored, with its resourceVersion. */
  public T create(T obj) {
    StoredObject<T> stored = createStored(obj);
    return codec.withResourceVersion(stored.object(), stored.revision());
  }

  /** Creates the object; returns it with the bytes stored, for a reply that needs no second serialization. */
  public StoredObject<T> createStored(T obj) {
    return creation.run(obj);
  }

  /** A consistent read of one object. */
  public T get(String namespace, String name) {
    return find(namespace, name).orElseThrow(() -> ApiError.notFound(kind.plural(), name));
  }

  public Optional<T> find(String namespace, String name) {
    checkScope(namespace, name);
    return objects.find(namespace, name);
  }

  public L list(ListRequest request) {
    return lister.list(request);
  }

  /** Replaces spec and metadata (status is kept); ABORTED when metadata.resourceVersion is stale. */
  public T update(T obj) {
    return replace(obj, false);
  }

  /** Replaces status only; ABORTED when metadata.resourceVersion is stale. */
  public T updateStatus(T obj) {
    if (!strategy.hasStatus()) {
      throw ApiError.unimplemented(kind.plural() + " have no status: use Update");
    }
    return replace(obj, true);
  }

  private T replace(T obj, boolean statusOnly) {
    ObjectMeta in = kind.meta(obj);
    String ns = kind.namespaced() && in.getNamespace().isEmpty() ? "default" : in.getNamespace();
    long expected = ObjectCodec.parseResourceVersion(in.getResourceVersion(), "metadata.resourceVersion");
    return guaranteedUpdate(ns, in.getName(), expected, current -> statusOnly
        ? strategy.prepareForUpdateStatus(obj, current)
        : strategy.prepareForUpdate(kind.withMeta(obj, kind.meta(obj).toBuilder().setNamespace(ns).build()), current));
  }

  /** Applies a JSON merge patch to the current object, then updates it (retrying on conflicts). */
  public T patch(PatchRequest request) {
    long expected = ObjectCodec.parseResourceVersion(request.getResourceVersion(), "resourceVersion");
    return guaranteedUpdate(request.getNamespace(), request.getName(), expected, current -> {
      T patched = MergePatch.apply(current, request.getPatch());
      return strategy.prepareForUpdate(patched, current);
    });
  }

  /**
   * Reads the object, applies {@code mutate} and writes the result if the object did not change
   * meanwhile; retries on a lost race unless {@code expectedRevision} (non-zero) pins the version.
   * Metadata the server owns (uid, creationTimestamp, deletion fields, generation) is kept;
   * generation is bumped when anything outside metadata and status changed.
   */
  public T guaranteedUpdate(String namespace, String name, long expectedRevision, UnaryOperator<T> mutate) {
    return guaranteedUpdate(namespace, name, expectedRevision, mutate, true);
  }

  /**
   * As {@link #guaranteedUpdate(String, String, long, UnaryOperator)}; with {@code strategyRules}
   * false the kind's update rules (e.g. an immutable pod spec) are skipped, for subresources such
   * as Pods/Bind that own the fields they change; metadata rules still apply.
   */
  public T guaranteedUpdate(String namespace, String name, long expectedRevision, UnaryOperator<T> mutate,
                            boolean strategyRules) {
    checkScope(namespace, name);
    return updates.run(namespace, name, expectedRevision, mutate, strategyRules);
  }

  /**
   * Deletes, or begins a graceful / finalized deletion: the object then stays, with
   * deletionTimestamp set, until its grace period is over (someone deletes again with 0) and
   * its finalizers are gone. Returns the object's last state.
   */
  public T delete(DeleteRequest request) {
    checkScope(request.getNamespace(), request.getName());
    return deletes.run(request);
  }

  private void checkScope(String namespace, String name) {
    if (name.isEmpty()) {
      throw ApiError.badRequest("name", "Required value: name is required");
    }
    if (kind.namespaced() && namespace.isEmpty()) {
      throw ApiError.badRequest("namespace", "Required value: " + kind.plural() + " are namespaced: name the namespace");
    }
    if (!kind.namespaced() && !namespace.isEmpty()) {
      throw ApiError.badRequest("namespace", "Forbidden: " + kind.plural() + " are cluster-scoped: leave namespace empty");
    }
  }
}
