package dev.skiff.apiserver.registry;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.strategy.Strategy;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.client.etcd.CasResult;
import dev.skiff.client.etcd.EtcdClient;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import java.util.Optional;

/**
 * One kind's objects in the store as the registry's writers see them: where an update or a delete
 * starts (the watch cache's copy when it has one, else a consistent store read), and the
 * compare-and-swap writes that catch a start that was stale. Like Kubernetes' GuaranteedUpdate, a
 * write usually costs no read: a lost compare-and-swap returns the key's current value, and the
 * writer retries on that.
 *
 * <p>Thread-safe and stateless between calls; calls block on the store.
 */
final class StoredObjects<T extends Message> {
  /** A write's starting point; {@code fromCache}: the watch cache's copy, possibly behind the store. */
  record Current<T>(KeyValue kv, T object, boolean fromCache) {}

  private final ResourceKind<T, ?> kind;
  private final ObjectCodec<T> codec;
  private final Strategy<T> strategy;
  private final EtcdClient store;
  private final CacheReader<T> cache;
  private final WrittenRevision written;

  StoredObjects(ResourceKind<T, ?> kind, ObjectCodec<T> codec, Strategy<T> strategy, EtcdClient store,
                CacheReader<T> cache, WrittenRevision written) {
    this.kind = kind;
    this.codec = codec;
    this.strategy = strategy;
    this.store = store;
    this.cache = cache;
    this.written = written;
  }

  /** A consistent read of one object. */
  Optional<T> find(String namespace, String name) {
    return store.get(codec.key(namespace, name)).map(codec::decode);
  }

  /**
   * The object from the watch cache when it has it (and at {@code expectedRevision}, when one is
   * pinned), else a consistent store read; NOT_FOUND when the store has no such object.
   */
  Current<T> cachedOrStored(String namespace, String name, long expectedRevision) {
    Optional<T> cached = cache == null ? Optional.empty()
        : cache.peek(kind.namespaced() ? namespace + "/" + name : name);
    if (cached.isPresent()) {
      String rv = kind.meta(cached.get()).getResourceVersion();
      long revision = rv.isEmpty() ? 0 : Long.parseLong(rv);
      if (revision > 0 && (expectedRevision == 0 || expectedRevision == revision)) {
        KeyValue kv = KeyValue.newBuilder().setKey(codec.key(namespace, name)).setModRevision(revision).build();
        return new Current<>(kv, cached.get(), true);
      }
    }
    return stored(namespace, name);
  }

  /** A consistent store read; NOT_FOUND when there is no such object. */
  Current<T> stored(String namespace, String name) {
    KeyValue kv = store.get(codec.key(namespace, name)).orElseThrow(() -> ApiError.notFound(kind.plural(), name));
    return new Current<>(kv, codec.decode(kv), false);
  }

  /** Where to retry after a lost compare-and-swap: the value the failed Txn returned; NOT_FOUND if gone. */
  Current<T> afterLostRace(CasResult lost, String name) {
    KeyValue now = lost.current().orElseThrow(() -> ApiError.notFound(kind.plural(), name));
    return new Current<>(now, codec.decode(now), false);
  }

  /** Writes {@code value} under {@code obj}'s key if the key does not exist. */
  CasResult createIfAbsent(T obj, ByteString value) {
    return recorded(store.createIfAbsent(codec.key(obj), value));
  }

  /** Deletes the key if it is still at {@code kv}'s revision. */
  CasResult deleteIfUnchanged(KeyValue kv) {
    return recorded(store.deleteIfModRevision(kv.getKey(), kv.getModRevision()));
  }

  /** Writes (or, for a finished deletion, deletes) {@code updated} if the key is still at {@code kv}'s revision. */
  CasResult writeIfUnchanged(KeyValue kv, T updated) {
    ObjectMeta m = kind.meta(updated);
    boolean finished = m.hasDeletionTimestamp() && m.getFinalizersCount() == 0
        && m.hasDeletionGracePeriodSeconds() && m.getDeletionGracePeriodSeconds() == 0
        && !strategy.heldByKindFinalizers(updated);
    return finished
        ? deleteIfUnchanged(kv)
        : recorded(store.updateIfModRevision(kv.getKey(), codec.encode(updated), kv.getModRevision()));
  }

  private CasResult recorded(CasResult r) {
    if (r.succeeded()) {
      written.advance(r.revision());
    }
    return r;
  }
}
