package dev.skiff.controllers.podgc;

import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeList;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodList;
import dev.skiff.api.v1.Preconditions;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.informer.Lister;
import dev.skiff.client.informer.ResourceEventHandler;
import dev.skiff.client.queue.Reconciler;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.SharedIndexes;
import dev.skiff.controllers.WorkLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Force-deletes pods bound to a node that no longer exists (Kubernetes' pod GC of orphaned pods):
 * no agent will ever confirm their graceful deletion, so they would stay Terminating forever. The
 * node's absence is confirmed with a live GET (a node may be newer than the cache).
 *
 * <p>Threads: handlers enqueue pod keys; {@link #reconcile} runs on the loop's workers.
 */
public final class PodGarbageCollector implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(PodGarbageCollector.class);

  private final ControllerContext ctx;
  private final ResourceClient<Pod, PodList> pods;
  private final ResourceClient<Node, NodeList> nodes;
  private final Lister<Pod> podLister;
  private final Lister<Node> nodeLister;
  private final WorkLoop loop;

  public PodGarbageCollector(ControllerContext ctx) {
    this.ctx = ctx;
    this.pods = ctx.client().resource(Kinds.POD);
    this.nodes = ctx.client().resource(Kinds.NODE);
    var podInformer = SharedIndexes.podsByNode(ctx);
    var nodeInformer = ctx.informers().informerFor(Kinds.NODE);
    this.podLister = podInformer.lister();
    this.nodeLister = nodeInformer.lister();
    this.loop = new WorkLoop("pod-gc", this, ctx.config().workers(), ctx.clock());
    nodeInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onDelete(Node n) {
        for (Pod p : podLister.byIndex(SharedIndexes.POD_NODE, n.getMetadata().getName())) {
          loop.add(Kinds.POD.key(p));
        }
      }
    });
    podInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        String node = p.getSpec().getNodeName();
        if (!node.isEmpty() && nodeLister.get(node).isEmpty()) {
          loop.add(Kinds.POD.key(p));
        }
      }

      @Override
      public void onUpdate(Pod oldP, Pod p) {
        if (!oldP.getSpec().getNodeName().equals(p.getSpec().getNodeName())) {
          onAdd(p);
        }
      }
    });
  }

  public WorkLoop loop() {
    return loop;
  }

  @Override
  public void reconcile(String key) {
    Pod pod = podLister.get(key).orElse(null);
    if (pod == null || pod.getSpec().getNodeName().isEmpty()) {
      return;
    }
    String node = pod.getSpec().getNodeName();
    if (nodeLister.get(node).isPresent() || nodes.find("", node).isPresent()) {
      return;
    }
    var m = pod.getMetadata();
    try {
      pods.delete(DeleteRequest.newBuilder().setNamespace(m.getNamespace()).setName(m.getName())
          .setGracePeriodSeconds(0).setPreconditions(Preconditions.newBuilder().setUid(m.getUid())).build());
      log.info("force-deleted pod {} bound to node {}, which no longer exists", key, node);
      ctx.recorder().event(pod, "Normal", "PodGCOrphaned", "Forced deletion of orphaned Pod " + key + " (node " + node + " is gone)");
    } catch (ApiException e) {
      if (!e.isNotFound() && !e.isConflict()) {
        throw e;
      }
    }
  }
}
