package dev.skiff.controllers.nodelifecycle;

import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodList;
import dev.skiff.api.v1.Preconditions;
import dev.skiff.api.v1.Taint;
import dev.skiff.api.v1.Toleration;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.informer.Lister;
import dev.skiff.client.informer.ResourceEventHandler;
import dev.skiff.client.queue.Reconciler;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.SharedIndexes;
import dev.skiff.controllers.Timestamps;
import dev.skiff.controllers.WorkLoop;
import dev.skiff.controllers.pods.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evicts (deletes) pods from nodes with NoExecute taints they do not tolerate, once their
 * tolerationSeconds have passed since the taint was added (Kubernetes' NoExecuteTaintManager).
 * A pod without its own toleration for the unreachable / not-ready taints gets the default
 * toleration of {@code defaultTolerationSeconds}, as Kubernetes' admission would have added.
 *
 * <p>Threads: handlers enqueue pod keys; {@link #reconcile} runs on the loop's workers and
 * re-enqueues a pod for the moment its toleration runs out.
 */
public final class TaintEvictionController implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(TaintEvictionController.class);
  private static final List<String> DEFAULTED_KEYS = List.of(NodeConditions.NOT_READY_TAINT, NodeConditions.UNREACHABLE_TAINT);

  private final ControllerContext ctx;
  private final ResourceClient<Pod, PodList> pods;
  private final Lister<Node> nodeLister;
  private final Lister<Pod> podLister;
  private final WorkLoop loop;

  public TaintEvictionController(ControllerContext ctx) {
    this.ctx = ctx;
    this.pods = ctx.client().resource(Kinds.POD);
    var nodeInformer = ctx.informers().informerFor(Kinds.NODE);
    var podInformer = SharedIndexes.podsByNode(ctx);
    this.nodeLister = nodeInformer.lister();
    this.podLister = podInformer.lister();
    this.loop = new WorkLoop("taint-eviction", this, ctx.config().workers(), ctx.clock());
    nodeInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node n) {
        if (!NodeConditions.noExecuteTaints(n).isEmpty()) {
          enqueuePodsOn(n);
        }
      }

      @Override
      public void onUpdate(Node oldN, Node n) {
        if (!NodeConditions.noExecuteTaints(oldN).equals(NodeConditions.noExecuteTaints(n))) {
          enqueuePodsOn(n);
        }
      }
    });
    podInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        if (!p.getSpec().getNodeName().isEmpty()) {
          loop.add(Kinds.POD.key(p));
        }
      }

      @Override
      public void onUpdate(Pod oldP, Pod p) {
        if (!p.getSpec().getNodeName().equals(oldP.getSpec().getNodeName())
            || !p.getSpec().getTolerationsList().equals(oldP.getSpec().getTolerationsList())) {
          onAdd(p);
        }
      }
    });
  }

  public WorkLoop loop() {
    return loop;
  }

  private void enqueuePodsOn(Node n) {
    for (Pod p : podLister.byIndex(SharedIndexes.POD_NODE, n.getMetadata().getName())) {
      loop.add(Kinds.POD.key(p));
    }
  }

  @Override
  public void reconcile(String key) {
    Pod pod = podLister.get(key).orElse(null);
    if (pod == null || Pods.isTerminating(pod) || pod.getSpec().getNodeName().isEmpty()) {
      return;
    }
    Node node = nodeLister.get(pod.getSpec().getNodeName()).orElse(null);
    if (node == null) {
      return;
    }
    List<Taint> taints = NodeConditions.noExecuteTaints(node);
    if (taints.isEmpty()) {
      return;
    }
    List<Toleration> tolerations = Tolerations.withDefaults(pod.getSpec().getTolerationsList(), DEFAULTED_KEYS,
        ctx.config().defaultTolerationSeconds().toSeconds());
    Optional<Duration> allowed = Tolerations.timeAllowed(tolerations, taints);
    if (allowed.isEmpty()) {
      return; // tolerated forever
    }
    Instant now = ctx.clock().instant();
    Instant tainted = taints.stream().filter(Taint::hasTimeAdded).map(t -> Timestamps.toInstant(t.getTimeAdded()))
        .max(Instant::compareTo).orElse(now);
    Instant evictAt = tainted.plus(allowed.get());
    if (now.isBefore(evictAt)) {
      loop.addAfter(key, Duration.between(now, evictAt));
      return;
    }
    evict(pod, node);
  }

  private void evict(Pod pod, Node node) {
    var m = pod.getMetadata();
    try {
      pods.delete(DeleteRequest.newBuilder().setNamespace(m.getNamespace()).setName(m.getName())
          .setPreconditions(Preconditions.newBuilder().setUid(m.getUid())).build());
      log.info("evicted pod {}/{} from node {} (NoExecute taint not tolerated)", m.getNamespace(), m.getName(),
          node.getMetadata().getName());
      ctx.recorder().event(pod, "Normal", "TaintManagerEviction", "Marking for deletion Pod " + m.getNamespace() + "/" + m.getName());
    } catch (ApiException e) {
      if (!e.isNotFound() && !e.isConflict()) {
        throw e;
      }
    }
  }
}
