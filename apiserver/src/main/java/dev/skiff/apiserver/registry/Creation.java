package dev.skiff.apiserver.registry;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.errors.Violations;
import dev.skiff.apiserver.strategy.Strategy;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.client.etcd.CasResult;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Creates objects of one kind: server-owned metadata (namespace default, generated name, uid,
 * creationTimestamp, generation), the kind's defaults and validation, the namespace lifecycle
 * check, then one create-if-absent Txn. The object is serialized once: the stored bytes are also
 * what the reply is built from ({@link StoredObject}).
 *
 * <p>Thread-safe; calls block on the store.
 */
final class Creation<T extends Message> {
  private static final String GENERATE_CHARS = "bcdfghjklmnpqrstvwxz2456789";

  private final ResourceKind<T, ?> kind;
  private final ObjectCodec<T> codec;
  private final Strategy<T> strategy;
  private final StoredObjects<T> objects;
  private final Clock clock;
  private final NamespaceGuard namespaces;
  private final Uids uids;

  /** {@code namespaces}: null for cluster-scoped kinds. */
  Creation(ResourceKind<T, ?> kind, ObjectCodec<T> codec, Strategy<T> strategy, StoredObjects<T> objects,
           Clock clock, NamespaceGuard namespaces, Uids uids) {
    this.kind = kind;
    this.codec = codec;
    this.strategy = strategy;
    this.objects = objects;
    this.clock = clock;
    this.namespaces = namespaces;
    this.uids = uids;
  }

  StoredObject<T> run(T obj) {
    ObjectMeta in = kind.meta(obj);
    if (!in.getResourceVersion().isEmpty()) {
      throw ApiError.badRequest("metadata.resourceVersion", "Forbidden: resourceVersion should not be set on objects to be created");
    }
    ObjectMeta.Builder meta = in.toBuilder();
    if (kind.namespaced() && meta.getNamespace().isEmpty()) {
      meta.setNamespace("default");
    }
    if (meta.getName().isEmpty() && !meta.getGenerateName().isEmpty()) {
      meta.setName(generateName(meta.getGenerateName()));
    }
    meta.setUid(uids.next())
        .setCreationTimestamp(Timestamp.newBuilder().setSeconds(clock.instant().getEpochSecond()))
        .setGeneration(1)
        .clearDeletionTimestamp()
        .clearDeletionGracePeriodSeconds()
        .clearSelfLink();
    T prepared = strategy.prepareForCreate(kind.withMeta(obj, meta.build()));
    Violations v = new Violations();
    strategy.validate(prepared, v);
    ObjectMeta m = kind.meta(prepared);
    v.throwIfAny(kind.kind(), m.getName());
    if (namespaces != null) {
      namespaces.checkCreateAllowed(m.getNamespace());
    }
    ByteString value = codec.encode(prepared);
    CasResult r = objects.createIfAbsent(prepared, value);
    if (!r.succeeded()) {
      throw ApiError.alreadyExists(kind.plural(), m.getName());
    }
    return new StoredObject<>(prepared, value, r.revision());
  }

  /** Kubernetes' rule: the base (at most 58 characters) and 5 random characters (not a secret). */
  private static String generateName(String base) {
    StringBuilder sb = new StringBuilder(base.length() > 58 ? base.substring(0, 58) : base);
    for (int i = 0; i < 5; i++) {
      sb.append(GENERATE_CHARS.charAt(ThreadLocalRandom.current().nextInt(GENERATE_CHARS.length())));
    }
    return sb.toString();
  }
}
