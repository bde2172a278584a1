package dev.skiff.controllers.namespace;

import com.google.protobuf.Message;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.NamespaceList;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.client.informer.Lister;
import dev.skiff.client.queue.Reconciler;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.WorkLoop;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties Terminating namespaces (Kubernetes' namespace controller): a namespace with a deletion
 * timestamp has every namespaced object of every kind deleted; once none is left, the
 * {@code kubernetes} finalizer is removed (from spec.finalizers and metadata.finalizers) so the
 * apiserver can remove the namespace.
 *
 * <p>Threads: the namespace informer enqueues names; {@link #reconcile} runs on the loop's
 * workers and looks again after {@link #RECHECK} while objects remain.
 */
public final class NamespaceController implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(NamespaceController.class);
  public static final String FINALIZER = "kubernetes";
  static final Duration RECHECK = Duration.ofSeconds(1);

  private final ControllerContext ctx;
  private final ResourceClient<Namespace, NamespaceList> namespaces;
  private final Lister<Namespace> lister;
  private final WorkLoop loop;

  public NamespaceController(ControllerContext ctx) {
    this.ctx = ctx;
    this.namespaces = ctx.client().resource(Kinds.NAMESPACE);
    var informer = ctx.informers().informerFor(Kinds.NAMESPACE);
    this.lister = informer.lister();
    this.loop = new WorkLoop("namespace", this, ctx.config().workers(), ctx.clock());
    informer.addEventHandler(loop.enqueueing(n -> n.getMetadata().getName()));
  }

  public WorkLoop loop() {
    return loop;
  }

  @Override
  public void reconcile(String name) {
    Namespace ns = lister.get(name).orElse(null);
    if (ns == null || !ns.getMetadata().hasDeletionTimestamp()) {
      return;
    }
    if (!"Terminating".equals(ns.getStatus().getPhase())) {
      try {
        namespaces.updateStatus(ns.toBuilder().setStatus(ns.getStatus().toBuilder().setPhase("Terminating")).build());
      } catch (ApiException e) {
        if (!e.isConflict() && !e.isNotFound()) {
          throw e;
        }
      }
    }
    int remaining = 0;
    for (ResourceKind<?, ?> kind : Kinds.all()) {
      if (kind.namespaced()) {
        remaining += deleteAll(kind, name);
      }
    }
    if (remaining > 0) {
      log.info("namespace {}: {} objects still being deleted", name, remaining);
      loop.addAfter(name, RECHECK);
      return;
    }
    finalize(name);
  }

  /** Deletes every object of {@code kind} in {@code namespace}; how many were still there. */
  private <T extends Message, L extends Message> int deleteAll(ResourceKind<T, L> kind, String namespace) {
    ResourceClient<T, L> client = ctx.client().resource(kind);
    List<T> items = kind.items(client.list(namespace));
    for (T item : items) {
      ObjectMeta m = kind.meta(item);
      if (m.hasDeletionTimestamp()) {
        continue;
      }
      try {
        client.delete(DeleteRequest.newBuilder().setNamespace(namespace).setName(m.getName())
            .setPropagationPolicy("Background").build());
      } catch (ApiException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
    }
    return items.size();
  }

  private void finalize(String name) {
    Namespace live = namespaces.find("", name).orElse(null);
    if (live == null) {
      return;
    }
    boolean inSpec = live.getSpec().getFinalizersList().contains(FINALIZER);
    boolean inMeta = live.getMetadata().getFinalizersList().contains(FINALIZER);
    if (!inSpec && !inMeta) {
      return;
    }
    Namespace.Builder b = live.toBuilder();
    b.getSpecBuilder().clearFinalizers().addAllFinalizers(
        live.getSpec().getFinalizersList().stream().filter(f -> !FINALIZER.equals(f)).toList());
    b.getMetadataBuilder().clearFinalizers().addAllFinalizers(
        live.getMetadata().getFinalizersList().stream().filter(f -> !FINALIZER.equals(f)).toList());
    try {
      namespaces.update(b.build());
      log.info("namespace {}: empty, finalizer removed", name);
      ctx.recorder().event(live, "Normal", "NamespaceFinalized", "All objects deleted; namespace finalized");
    } catch (ApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }
}
