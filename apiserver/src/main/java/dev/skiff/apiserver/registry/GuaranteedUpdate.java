package dev.skiff.apiserver.registry;

import com.google.protobuf.Message;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.errors.FieldError;
import dev.skiff.apiserver.errors.Violations;
import dev.skiff.apiserver.registry.StoredObjects.Current;
import dev.skiff.apiserver.strategy.Strategy;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.client.etcd.CasResult;
import java.util.function.UnaryOperator;

/**
 * Kubernetes' GuaranteedUpdate for one kind: start from the watch cache's copy (or a store read),
 * apply a mutation, keep the metadata the server owns, validate, and write with a
 * compare-and-swap on the starting revision; a lost race retries on the value the failed write
 * returned. A rejection or a no-op judged on a cached copy is confirmed against the store, since
 * the copy may be behind.
 *
 * <p>Thread-safe and stateless between calls; calls block on the store.
 */
final class GuaranteedUpdate<T extends Message> {
  static final int MAX_ATTEMPTS = 16;

  private final ResourceKind<T, ?> kind;
  private final ObjectCodec<T> codec;
  private final Strategy<T> strategy;
  private final StoredObjects<T> objects;

  GuaranteedUpdate(ResourceKind<T, ?> kind, ObjectCodec<T> codec, Strategy<T> strategy, StoredObjects<T> objects) {
    this.kind = kind;
    this.codec = codec;
    this.strategy = strategy;
    this.objects = objects;
  }

  /**
   * Reads the object, applies {@code mutate} and writes the result if the object did not change
   * meanwhile; retries on a lost race unless {@code expectedRevision} (non-zero) pins the version.
   * With {@code strategyRules} false the kind's update rules are skipped (subresources that own
   * the fields they change); metadata rules still apply.
   */
  T run(String namespace, String name, long expectedRevision, UnaryOperator<T> mutate, boolean strategyRules) {
    Current<T> state = objects.cachedOrStored(namespace, name, expectedRevision);
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
        state = objects.stored(namespace, name); // judged on a cached copy that may be stale: judge again on the store's
        continue;
      }
      if (updated.equals(current)) {
        if (!state.fromCache()) {
          return current; // nothing changed: no write, no event
        }
        state = objects.stored(namespace, name); // a no-op against a cached copy is confirmed against the store
        continue;
      }
      CasResult r = objects.writeIfUnchanged(state.kv(), updated);
      if (r.succeeded()) {
        return codec.withResourceVersion(updated, r.revision());
      }
      if (expectedRevision != 0) {
        throw ApiError.conflict(kind.plural(), name);
      }
      state = objects.afterLostRace(r, name);
    }
    throw ApiError.conflict(kind.plural(), name, "too many concurrent writers; try again");
  }

  /**
   * {@code updated} with the metadata the server owns taken from {@code current} (uid,
   * creationTimestamp, deletion fields, generation); generation is bumped when anything outside
   * metadata and status changed.
   */
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
}
