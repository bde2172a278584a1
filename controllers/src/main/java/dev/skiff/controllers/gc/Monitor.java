package dev.skiff.controllers.gc;

import com.google.protobuf.Message;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Preconditions;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.client.informer.InformerFactory;
import dev.skiff.client.informer.ResourceEventHandler;
import dev.skiff.client.informer.SharedInformer;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The garbage collector's view of one kind, by metadata only: its informer (indexed by owner uid)
 * and the writes the collector makes to its objects. Hides the kind's message type so the
 * collector treats every kind alike.
 */
final class Monitor<T extends Message> {
  static final String OWNER_UID = "gc.ownerUid";

  private final ResourceKind<T, ?> kind;
  private final SharedInformer<T> informer;
  private final ResourceClient<T, ?> client;

  Monitor(ResourceKind<T, ?> kind, InformerFactory informers, SkiffClient client) {
    this.kind = kind;
    this.informer = informers.informerFor(kind);
    this.client = client.resource(kind);
    informer.addIndexer(OWNER_UID, obj -> kind.meta(obj).getOwnerReferencesList().stream().map(r -> r.getUid()).toList());
  }

  ResourceKind<T, ?> kind() {
    return kind;
  }

  /** Calls {@code onChange(old, new)} (old null on add, new null on delete) with metadata only. */
  void watch(MetaHandler onChange) {
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(T o) {
        onChange.changed(kind, null, kind.meta(o));
      }

      @Override
      public void onUpdate(T oldO, T newO) {
        onChange.changed(kind, kind.meta(oldO), kind.meta(newO));
      }

      @Override
      public void onDelete(T o) {
        onChange.changed(kind, kind.meta(o), null);
      }
    });
  }

  /** Receives metadata changes of any monitored kind. */
  interface MetaHandler {
    void changed(ResourceKind<?, ?> kind, ObjectMeta before, ObjectMeta after);
  }

  Optional<ObjectMeta> cached(String namespace, String name) {
    return informer.lister().get(namespace, name).map(kind::meta);
  }

  Optional<ObjectMeta> live(String namespace, String name) {
    return client.find(namespace, name).map(kind::meta);
  }

  /** Cached objects that name {@code ownerUid} among their owners. */
  List<ObjectMeta> dependentsOf(String ownerUid) {
    return informer.lister().byIndex(OWNER_UID, ownerUid).stream().map(kind::meta).toList();
  }

  void forEachDependent(String ownerUid, Consumer<ObjectMeta> action) {
    dependentsOf(ownerUid).forEach(action);
  }

  /** Deletes the object if it still has {@code uid}; false if it was already gone. */
  boolean delete(ObjectMeta meta, String propagationPolicy) {
    try {
      client.delete(DeleteRequest.newBuilder().setNamespace(meta.getNamespace()).setName(meta.getName())
          .setPreconditions(Preconditions.newBuilder().setUid(meta.getUid()))
          .setPropagationPolicy(propagationPolicy).build());
      return true;
    } catch (ApiException e) {
      if (e.isNotFound() || e.isConflict()) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Rewrites the live object's metadata with {@code change} (no write if unchanged) at its
   * current resourceVersion; a concurrent write fails with ABORTED and the caller retries.
   */
  void updateMeta(ObjectMeta meta, UnaryOperator<ObjectMeta> change) {
    Optional<T> live = client.find(meta.getNamespace(), meta.getName())
        .filter(o -> kind.meta(o).getUid().equals(meta.getUid()));
    if (live.isEmpty()) {
      return;
    }
    ObjectMeta before = kind.meta(live.get());
    ObjectMeta after = change.apply(before);
    if (after.equals(before)) {
      return;
    }
    try {
      client.update(kind.withMeta(live.get(), after));
    } catch (ApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }
}
