package dev.skiff.apiserver.registry;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.PatchRequest;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.errors.FieldError;
import dev.skiff.apiserver.errors.Violations;
import dev.skiff.apiserver.strategy.Strategy;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.client.etcd.CasResult;
import dev.skiff.client.etcd.EtcdClient;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * The one registry implementation, serving any kind: create, get, list, update, updateStatus,
 * patch and delete over the store, with optimistic concurrency on the store's mod revision
 * (which is every object's resourceVersion). Kind-specific rules come from its {@link Strategy}.
 *
 * <p>Thread-safe and stateless between calls; calls block on the store (run them on virtual
 * threads). Failures are {@link ApiError}s or {@code EtcdException}s.
 */
public final class Registry<T extends Message, L extends Message> {
  private static final int MAX_ATTEMPTS = 16;
  private static final String GENERATE_CHARS = "bcdfghjklmnpqrstvwxz2456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ResourceKind<T, L> kind;
  private final ObjectCodec<T> codec;
  private final Strategy<T> strategy;
  private final EtcdClient store;
  private final Clock clock;
  private final NamespaceGuard namespaces;
  private final StoreLister<T, L> lister;
  private final CacheReader<T> cache;

  public Registry(ResourceKind<T, L> kind, Strategy<T> strategy, EtcdClient store, Clock clock,
                  NamespaceGuard namespaces, CacheReader<T> cache) {
    this.kind = kind;
    this.codec = new ObjectCodec<>(kind);
    this.strategy = strategy;
    this.store = store;
    this.clock = clock;
    this.namespaces = kind.namespaced() ? namespaces : null;
    this.lister = new StoreLister<>(kind, codec, store, cache);
    this.cache = cache;
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

  // ---- create ----

  public T create(T obj) {
    ObjectMeta in = kind.meta(obj);
    ObjectMeta.Builder meta = in.toBuilder();
    if (kind.namespaced() && meta.getNamespace().isEmpty()) {
      meta.setNamespace("default");
    }
    if (meta.getName().isEmpty() && !meta.getGenerateName().isEmpty()) {
      meta.setName(generateName(meta.getGenerateName()));
    }
    if (!in.getResourceVersion().isEmpty()) {
      throw ApiError.badRequest("metadata.resourceVersion", "Forbidden: resourceVersion should not be set on objects to be created");
    }
    meta.setUid(UUID.randomUUID().toString())
        .setCreationTimestamp(now(0))
        .setGeneration(1)
        .clearDeletionTimestamp()
        .clearDeletionGracePeriodSeconds()
        .clearSelfLink();
    T prepared = strategy.prepareForCreate(kind.withMeta(obj, meta.build()));
    Violations v = new Violations();
    strategy.validate(prepared, v);
    v.throwIfAny(kind.kind(), kind.meta(prepared).getName());
    ObjectMeta m = kind.meta(prepared);
    if (namespaces != null) {
      namespaces.checkCreateAllowed(m.getNamespace());
    }
    CasResult r = store.createIfAbsent(codec.key(prepared), codec.encode(prepared));
    if (!r.succeeded()) {
      throw ApiError.alreadyExists(kind.plural(), m.getName());
    }
    return codec.withResourceVersion(prepared, r.revision());
  }

  private static String generateName(String base) {
    StringBuilder sb = new StringBuilder(base.length() > 58 ? base.substring(0, 58) : base);
    for (int i = 0; i < 5; i++) {
      sb.append(GENERATE_CHARS.charAt(RANDOM.nextInt(GENERATE_CHARS.length())));
    }
    return sb.toString();
  }

  // ---- reads ----

  /** A consistent read of one object. */
  public T get(String namespace, String name) {
    return find(namespace, name).orElseThrow(() -> ApiError.notFound(kind.plural(), name));
  }

  public Optional<T> find(String namespace, String name) {
    checkScope(namespace, name);
    return store.get(codec.key(namespace, name)).map(codec::decode);
  }

  public L list(ListRequest request) {
    return lister.list(request);
  }

  // ---- updates ----

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
    State<T> state = cachedOrStored(namespace, name, expectedRevision);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (expectedRevision != 0 && expectedRevision != state.kv().getModRevision()) {
        throw ApiError.conflict(kind.plural(), name);
      }
      T current = state.object();
      T updated;
      try {
        updated = preserveServerMeta(mutate.apply(current), current);
        Violations v = new Violations();
        if (strategyRules) {
          strategy.validateUpdate(updated, current, v);
        } else {
          strategy.validate(updated, v);
        }
        checkFinalizers(updated, current, v);
        v.throwIfAny(kind.kind(), name);
      } catch (ApiError e) {
        if (!state.fromCache()) {
          throw e;
        }
        state = stored(namespace, name); // judged on a cached copy that may be stale: judge again on the store's
        continue;
      }
      if (updated.equals(current)) {
        if (!state.fromCache()) {
          return current; // nothing changed: no write, no event
        }
        state = stored(namespace, name); // a no-op against a cached copy is confirmed against the store
        continue;
      }
      CasResult r = writeIfUnchanged(state.kv(), updated);
      if (r.succeeded()) {
        return codec.withResourceVersion(updated, r.revision());
      }
      if (expectedRevision != 0) {
        throw ApiError.conflict(kind.plural(), name);
      }
      // The failed guard returned the key's current value: retry on it without another read.
      KeyValue now = r.current().orElseThrow(() -> ApiError.notFound(kind.plural(), name));
      state = new State<>(now, codec.decode(now), false);
    }
    throw ApiError.conflict(kind.plural(), name, "too many concurrent writers; try again");
  }

  /** An update's starting point; {@code fromCache}: the watch cache's copy, possibly behind the store. */
  private record State<T>(KeyValue kv, T object, boolean fromCache) {}

  /**
   * The object from the watch cache when it has it (and at {@code expectedRevision}, when one is
   * pinned), else a consistent store read: like Kubernetes' GuaranteedUpdate, an update usually
   * costs no read, and the store's compare-and-swap catches a stale copy.
   */
  private State<T> cachedOrStored(String namespace, String name, long expectedRevision) {
    Optional<T> cached = cache == null ? Optional.empty()
        : cache.peek(kind.namespaced() ? namespace + "/" + name : name);
    if (cached.isPresent()) {
      String rv = kind.meta(cached.get()).getResourceVersion();
      long revision = rv.isEmpty() ? 0 : Long.parseLong(rv);
      if (revision > 0 && (expectedRevision == 0 || expectedRevision == revision)) {
        KeyValue kv = KeyValue.newBuilder().setKey(codec.key(namespace, name)).setModRevision(revision).build();
        return new State<>(kv, cached.get(), true);
      }
    }
    return stored(namespace, name);
  }

  private State<T> stored(String namespace, String name) {
    KeyValue kv = store.get(codec.key(namespace, name)).orElseThrow(() -> ApiError.notFound(kind.plural(), name));
    return new State<>(kv, codec.decode(kv), false);
  }

  private T preserveServerMeta(T updated, T current) {
    ObjectMeta cur = kind.meta(current);
    ObjectMeta.Builder m = kind.meta(updated).toBuilder()
        .setName(cur.getName())
        .setNamespace(cur.getNamespace())
        .setUid(cur.getUid())
        .setCreationTimestamp(cur.getCreationTimestamp())
        .setResourceVersion(cur.getResourceVersion())
        .setGeneration(cur.getGeneration())
        .clearSelfLink();
    if (cur.hasDeletionTimestamp()) {
      m.setDeletionTimestamp(cur.getDeletionTimestamp());
    } else {
      m.clearDeletionTimestamp();
    }
    if (cur.hasDeletionGracePeriodSeconds()) {
      m.setDeletionGracePeriodSeconds(cur.getDeletionGracePeriodSeconds());
    } else {
      m.clearDeletionGracePeriodSeconds();
    }
    if (!withoutMetaAndStatus(updated).equals(withoutMetaAndStatus(current))) {
      m.setGeneration(cur.getGeneration() + 1);
    }
    return kind.withMeta(updated, m.build());
  }

  private Message withoutMetaAndStatus(T obj) {
    Message.Builder b = obj.toBuilder().clearField(obj.getDescriptorForType().findFieldByName("metadata"))
        .clearField(obj.getDescriptorForType().findFieldByName("api_version"))
        .clearField(obj.getDescriptorForType().findFieldByName("kind"));
    var status = obj.getDescriptorForType().findFieldByName("status");
    if (status != null) {
      b.clearField(status);
    }
    return b.build();
  }

  private void checkFinalizers(T updated, T current, Violations v) {
    ObjectMeta cur = kind.meta(current);
    if (!cur.hasDeletionTimestamp()) {
      return;
    }
    for (String f : kind.meta(updated).getFinalizersList()) {
      if (!cur.getFinalizersList().contains(f)) {
        v.add(FieldError.forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers [\"" + f + "\"]"));
      }
    }
  }

  /** Writes {@code updated} if the key is still at {@code kv}'s revision; empty on a lost race. */
  private Optional<T> write(KeyValue kv, T current, T updated) {
    if (updated.equals(current)) {
      return Optional.of(current); // nothing changed: no write, no event
    }
    CasResult r = writeIfUnchanged(kv, updated);
    return r.succeeded() ? Optional.of(codec.withResourceVersion(updated, r.revision())) : Optional.empty();
  }

  /** Writes (or, for a finished deletion, deletes) {@code updated} if the key is still at {@code kv}'s revision. */
  private CasResult writeIfUnchanged(KeyValue kv, T updated) {
    ObjectMeta m = kind.meta(updated);
    boolean finished = m.hasDeletionTimestamp() && m.getFinalizersCount() == 0
        && m.hasDeletionGracePeriodSeconds() && m.getDeletionGracePeriodSeconds() == 0
        && !strategy.heldByKindFinalizers(updated);
    return finished
        ? store.deleteIfModRevision(kv.getKey(), kv.getModRevision())
        : store.updateIfModRevision(kv.getKey(), codec.encode(updated), kv.getModRevision());
  }

  // ---- delete ----

  /**
   * Deletes, or begins a graceful / finalized deletion: the object then stays, with
   * deletionTimestamp set, until its grace period is over (someone deletes again with 0) and
   * its finalizers are gone. Returns the object's last state.
   */
  public T delete(DeleteRequest request) {
    String ns = request.getNamespace();
    String name = request.getName();
    checkScope(ns, name);
    String policy = request.getPropagationPolicy();
    if (!policy.isEmpty() && !policy.equals("Orphan") && !policy.equals("Background") && !policy.equals("Foreground")) {
      throw ApiError.badRequest("propagationPolicy", "Unsupported value: \"" + policy
          + "\": supported values: \"Orphan\", \"Background\", \"Foreground\"");
    }
    if (request.hasGracePeriodSeconds() && request.getGracePeriodSeconds() < 0) {
      throw ApiError.badRequest("gracePeriodSeconds", "must be greater than or equal to 0");
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      KeyValue kv = store.get(codec.key(ns, name)).orElseThrow(() -> ApiError.notFound(kind.plural(), name));
      T current = codec.decode(kv);
      ObjectMeta meta = kind.meta(current);
      checkPreconditions(request, meta);
      OptionalLong requested = request.hasGracePeriodSeconds()
          ? OptionalLong.of(request.getGracePeriodSeconds()) : OptionalLong.empty();
      long grace = strategy.gracePeriodSeconds(current, requested);
      ObjectMeta.Builder m = meta.toBuilder();
      if (policy.equals("Orphan")) {
        addFinalizer(m, "orphan");
        removeFinalizer(m, "foregroundDeletion");
      } else if (policy.equals("Foreground")) {
        addFinalizer(m, "foregroundDeletion");
        removeFinalizer(m, "orphan");
      }
      boolean held = m.getFinalizersCount() > 0 || strategy.heldByKindFinalizers(current);
      if (!held && grace == 0) {
        CasResult r = store.deleteIfModRevision(kv.getKey(), kv.getModRevision());
        if (r.succeeded()) {
          return current;
        }
        continue;
      }
      long period = meta.hasDeletionGracePeriodSeconds() ? meta.getDeletionGracePeriodSeconds() : Long.MAX_VALUE;
      if (!meta.hasDeletionTimestamp() || grace < period) {
        m.setDeletionTimestamp(now(grace)).setDeletionGracePeriodSeconds(grace);
      }
      T marked = strategy.onDeletionStarted(kind.withMeta(current, m.build()));
      Optional<T> written = write(kv, current, marked);
      if (written.isPresent()) {
        return written.get();
      }
    }
    throw ApiError.conflict(kind.plural(), name, "too many concurrent writers; try again");
  }

  private void checkPreconditions(DeleteRequest request, ObjectMeta meta) {
    if (!request.hasPreconditions()) {
      return;
    }
    var p = request.getPreconditions();
    if (p.hasUid() && !p.getUid().equals(meta.getUid())) {
      throw ApiError.conflict(kind.plural(), meta.getName(), "Precondition failed: UID in precondition: "
          + p.getUid() + ", UID in object meta: " + meta.getUid());
    }
    if (p.hasResourceVersion() && !p.getResourceVersion().equals(meta.getResourceVersion())) {
      throw ApiError.conflict(kind.plural(), meta.getName(), "Precondition failed: ResourceVersion in precondition: "
          + p.getResourceVersion() + ", ResourceVersion in object meta: " + meta.getResourceVersion());
    }
  }

  private static void addFinalizer(ObjectMeta.Builder m, String f) {
    if (!m.getFinalizersList().contains(f)) {
      m.addFinalizers(f);
    }
  }

  private static void removeFinalizer(ObjectMeta.Builder m, String f) {
    var keep = m.getFinalizersList().stream().filter(x -> !x.equals(f)).toList();
    m.clearFinalizers().addAllFinalizers(keep);
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

  private Timestamp now(long plusSeconds) {
    Instant t = clock.instant().plusSeconds(plusSeconds);
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).build();
  }
}
