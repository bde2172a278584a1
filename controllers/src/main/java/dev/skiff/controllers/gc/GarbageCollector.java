package dev.skiff.controllers.gc;

import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.OwnerReference;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.client.queue.Reconciler;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.WorkLoop;
import dev.skiff.controllers.ownership.OwnerRefs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cascading deletion through {@code ownerReferences} (Kubernetes' garbage collector), over an
 * informer per kind indexed by owner uid:
 *
 * <ul>
 *   <li>background: an object none of whose owners exists any more (checked by a live GET, not
 *       only the cache) is deleted; references to owners that are gone are dropped while
 *       another owner remains;
 *   <li>foreground: an owner being deleted with the {@code foregroundDeletion} finalizer has its
 *       dependents deleted (foreground too); the finalizer goes once no dependent with
 *       {@code blockOwnerDeletion} remains;
 *   <li>orphan: an owner being deleted with the {@code orphan} finalizer has its references
 *       removed from every dependent, then the finalizer goes.
 * </ul>
 *
 * <p>Keys are {@code Kind|namespace/name}. Threads: handlers enqueue keys; {@link #reconcile}
 * runs on the loop's workers, one at a time per object.
 */
public final class GarbageCollector implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
  public static final String FOREGROUND = "foregroundDeletion";
  public static final String ORPHAN = "orphan";

  private final Map<String, Monitor<?>> monitors = new LinkedHashMap<>();
  private final WorkLoop loop;

  public GarbageCollector(ControllerContext ctx) {
    this.loop = new WorkLoop("garbage-collector", this, ctx.config().workers(), ctx.clock());
    for (ResourceKind<?, ?> kind : Kinds.all()) {
      if (kind == Kinds.EVENT) {
        continue; // events are never owners and their volume is large
      }
      Monitor<?> m = new Monitor<>(kind, ctx.informers(), ctx.client());
      m.watch(this::changed);
      monitors.put(kind.kind(), m);
    }
  }

  public WorkLoop loop() {
    return loop;
  }

  static String key(ResourceKind<?, ?> kind, ObjectMeta meta) {
    return kind.kind() + "|" + (meta.getNamespace().isEmpty() ? "" : meta.getNamespace() + "/") + meta.getName();
  }

  /** Informer callback: decides which objects to look at. Quick, cache only. */
  private void changed(ResourceKind<?, ?> kind, ObjectMeta before, ObjectMeta after) {
    if (after == null) {
      enqueueDependents(before.getUid());
      enqueueOwners(before);
      return;
    }
    boolean refsChanged = before == null || !before.getOwnerReferencesList().equals(after.getOwnerReferencesList());
    boolean deletionChanged = before == null || before.hasDeletionTimestamp() != after.hasDeletionTimestamp()
        || !before.getFinalizersList().equals(after.getFinalizersList());
    if ((refsChanged && after.getOwnerReferencesCount() > 0) || (deletionChanged && after.hasDeletionTimestamp())) {
      loop.add(key(kind, after));
    }
    if (after.hasDeletionTimestamp()) {
      enqueueOwners(after); // an owner waiting in foreground may be waiting for this one
    }
  }

  private void enqueueDependents(String uid) {
    for (Monitor<?> m : monitors.values()) {
      m.forEachDependent(uid, dep -> loop.add(key(m.kind(), dep)));
    }
  }

  private void enqueueOwners(ObjectMeta meta) {
    for (OwnerReference ref : meta.getOwnerReferencesList()) {
      Monitor<?> m = monitors.get(ref.getKind());
      if (m != null) {
        String ns = m.kind().namespaced() ? meta.getNamespace() : "";
        loop.add(key(m.kind(), ObjectMeta.newBuilder().setNamespace(ns).setName(ref.getName()).build()));
      }
    }
  }

  @Override
  public void reconcile(String key) {
    int bar = key.indexOf('|');
    Monitor<?> monitor = monitors.get(key.substring(0, bar));
    if (monitor == null) {
      return;
    }
    String rest = key.substring(bar + 1);
    int slash = rest.indexOf('/');
    String ns = slash < 0 ? "" : rest.substring(0, slash);
    String name = slash < 0 ? rest : rest.substring(slash + 1);
    Optional<ObjectMeta> cached = monitor.cached(ns, name);
    if (cached.isEmpty()) {
      return;
    }
    ObjectMeta meta = cached.get();
    if (meta.hasDeletionTimestamp()) {
      if (meta.getFinalizersList().contains(ORPHAN)) {
        orphan(monitor, meta);
      } else if (meta.getFinalizersList().contains(FOREGROUND)) {
        foreground(monitor, meta);
      }
      return;
    }
    if (meta.getOwnerReferencesCount() > 0) {
      checkOwners(monitor, meta);
    }
  }

  private void orphan(Monitor<?> owner, ObjectMeta meta) {
    for (Monitor<?> m : monitors.values()) {
      for (ObjectMeta dep : m.dependentsOf(meta.getUid())) {
        m.updateMeta(dep, d -> OwnerRefs.withoutOwner(d, meta.getUid()));
      }
    }
    owner.updateMeta(meta, o -> withoutFinalizer(o, ORPHAN));
    log.info("orphaned the dependents of {} {}/{}", owner.kind().kind(), meta.getNamespace(), meta.getName());
  }

  private void foreground(Monitor<?> owner, ObjectMeta meta) {
    boolean blocked = false;
    for (Monitor<?> m : monitors.values()) {
      for (ObjectMeta dep : m.dependentsOf(meta.getUid())) {
        boolean blocks = dep.getOwnerReferencesList().stream()
            .anyMatch(r -> r.getUid().equals(meta.getUid()) && r.getBlockOwnerDeletion());
        if (!dep.hasDeletionTimestamp()) {
          m.delete(dep, "Foreground");
        }
        blocked |= blocks;
      }
    }
    if (!blocked) {
      owner.updateMeta(meta, o -> withoutFinalizer(o, FOREGROUND));
      log.info("dependents of {} {}/{} are gone, foreground deletion completes", owner.kind().kind(),
          meta.getNamespace(), meta.getName());
    }
  }

  /** Kubernetes' attemptToDeleteItem for an object with owners. */
  private void checkOwners(Monitor<?> monitor, ObjectMeta meta) {
    List<OwnerReference> solid = new ArrayList<>();
    List<OwnerReference> dangling = new ArrayList<>();
    List<OwnerReference> waiting = new ArrayList<>();
    for (OwnerReference ref : meta.getOwnerReferencesList()) {
      Monitor<?> om = monitors.get(ref.getKind());
      if (om == null) {
        solid.add(ref); // a kind we cannot look up: never delete on its account
        continue;
      }
      String ns = om.kind().namespaced() ? meta.getNamespace() : "";
      Optional<ObjectMeta> owner = om.cached(ns, ref.getName()).filter(o -> o.getUid().equals(ref.getUid()));
      if (owner.isEmpty()) {
        owner = om.live(ns, ref.getName()).filter(o -> o.getUid().equals(ref.getUid()));
      }
      if (owner.isEmpty()) {
        dangling.add(ref);
      } else if (owner.get().hasDeletionTimestamp() && owner.get().getFinalizersList().contains(FOREGROUND)) {
        waiting.add(ref);
      } else {
        solid.add(ref);
      }
    }
    if (!solid.isEmpty()) {
      if (dangling.isEmpty() && waiting.isEmpty()) {
        return;
      }
      List<String> gone = new ArrayList<>();
      dangling.forEach(r -> gone.add(r.getUid()));
      waiting.forEach(r -> gone.add(r.getUid()));
      monitor.updateMeta(meta, m -> {
        ObjectMeta out = m;
        for (String uid : gone) {
          out = OwnerRefs.withoutOwner(out, uid);
        }
        return out;
      });
      return;
    }
    String policy = !waiting.isEmpty() ? "Foreground" : policyFromFinalizers(meta);
    if (monitor.delete(meta, policy)) {
      log.info("deleted {} {}/{}: its owners {} are gone{}", monitor.kind().kind(), meta.getNamespace(),
          meta.getName(), names(dangling, waiting), waiting.isEmpty() ? "" : " or being deleted in foreground");
    }
  }

  private static String policyFromFinalizers(ObjectMeta meta) {
    if (meta.getFinalizersList().contains(ORPHAN)) {
      return "Orphan";
    }
    return meta.getFinalizersList().contains(FOREGROUND) ? "Foreground" : "Background";
  }

  private static String names(List<OwnerReference> a, List<OwnerReference> b) {
    List<String> out = new ArrayList<>();
    a.forEach(r -> out.add(r.getKind() + "/" + r.getName()));
    b.forEach(r -> out.add(r.getKind() + "/" + r.getName()));
    return out.toString();
  }

  static ObjectMeta withoutFinalizer(ObjectMeta meta, String finalizer) {
    return meta.toBuilder().clearFinalizers()
        .addAllFinalizers(meta.getFinalizersList().stream().filter(f -> !Objects.equals(f, finalizer)).toList())
        .build();
  }
}
