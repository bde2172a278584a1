package dev.skiff.controllers.nodelifecycle;

import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.Lease;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeList;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import dev.skiff.api.v1.PodList;
import dev.skiff.api.v1.PodStatus;
import dev.skiff.api.v1.Taint;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches node heartbeats (the Lease {@code kube-node-lease/<node>} and the Ready condition's
 * heartbeat) and, when a node has been silent longer than the grace period, marks its conditions
 * Unknown, its pods not ready, and taints it {@code node.kubernetes.io/unreachable} (or
 * {@code not-ready} when the agent reports Ready=False). NoExecute taints are paced per zone
 * ({@link TaintRateLimiter}, {@link ZoneState}); the taints go when the node is Ready again.
 * {@link TaintEvictionController} evicts the pods.
 *
 * <p>Heartbeats are timed on this controller's clock when it sees them change, not by the
 * timestamps written in them (Kubernetes' probeTimestamp), so clock skew does not matter.
 * Threads: handlers enqueue node names; {@link #reconcile} runs on the loop's workers, one at a
 * time per node, and only it touches that node's {@link Heartbeat}.
 */
public final class NodeLifecycleController implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(NodeLifecycleController.class);
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  private final ControllerContext ctx;
  private final ResourceClient<Node, NodeList> nodes;
  private final ResourceClient<Pod, PodList> pods;
  private final Lister<Node> nodeLister;
  private final Lister<Lease> leaseLister;
  private final Lister<Pod> podLister;
  private final Duration grace;
  private final Map<String, Heartbeat> heartbeats = new ConcurrentHashMap<>();
  private final Map<String, TaintRateLimiter> zoneLimiters = new ConcurrentHashMap<>();
  private final WorkLoop loop;

  /** The last heartbeat seen for a node and when this controller saw it. */
  private record Heartbeat(Timestamp leaseRenew, Timestamp readyHeartbeat, Instant seenAt) {}

  public NodeLifecycleController(ControllerContext ctx) {
    this.ctx = ctx;
    this.nodes = ctx.client().resource(Kinds.NODE);
    this.pods = ctx.client().resource(Kinds.POD);
    this.grace = ctx.config().nodeMonitorGracePeriod();
    var nodeInformer = ctx.informers().informerFor(Kinds.NODE);
    var leaseInformer = ctx.informers().informerFor(Kinds.LEASE);
    this.nodeLister = nodeInformer.lister();
    this.leaseLister = leaseInformer.lister();
    this.podLister = SharedIndexes.podsByNode(ctx).lister();
    this.loop = new WorkLoop("node-lifecycle", this, ctx.config().workers(), ctx.clock());
    nodeInformer.addEventHandler(loop.enqueueing(n -> n.getMetadata().getName()));
    leaseInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Lease l) {
        onUpdate(l, l);
      }

      @Override
      public void onUpdate(Lease oldL, Lease l) {
        if (LEASE_NAMESPACE.equals(l.getMetadata().getNamespace())) {
          loop.add(l.getMetadata().getName());
        }
      }
    });
  }

  public WorkLoop loop() {
    return loop;
  }

  @Override
  public void reconcile(String name) {
    Node node = nodeLister.get(name).orElse(null);
    if (node == null) {
      heartbeats.remove(name);
      return;
    }
    Instant now = ctx.clock().instant();
    Instant lastSeen = observeHeartbeat(node, now);
    boolean silent = !now.isBefore(lastSeen.plus(grace));
    if (silent && !"Unknown".equals(NodeConditions.readyStatus(node))) {
      node = markUnknown(node, now);
    }
    String ready = NodeConditions.readyStatus(node);
    if (!"True".equals(ready)) {
      markPodsNotReady(node, now);
    }
    boolean waitingForToken = updateTaints(node, ready, now);
    if (!silent) {
      loop.addAfter(name, Duration.between(now, lastSeen.plus(grace)).plusMillis(1));
    } else if (waitingForToken || !"True".equals(ready)) {
      loop.addAfter(name, ctx.config().nodeMonitorPeriod());
    }
  }

  /** Records a changed heartbeat and returns when the last change was seen. */
  private Instant observeHeartbeat(Node node, Instant now) {
    String name = node.getMetadata().getName();
    Timestamp renew = leaseLister.get(LEASE_NAMESPACE, name)
        .map(l -> l.getSpec().getRenewTime()).orElse(Timestamp.getDefaultInstance());
    Timestamp readyBeat = NodeConditions.ready(node)
        .filter(c -> !"Unknown".equals(c.getStatus()))
        .map(c -> c.getLastHeartbeatTime()).orElse(Timestamp.getDefaultInstance());
    Heartbeat h = heartbeats.get(name);
    if (h == null || !h.leaseRenew().equals(renew) || !h.readyHeartbeat().equals(readyBeat)) {
      h = new Heartbeat(renew, readyBeat, now);
      heartbeats.put(name, h);
    }
    return h.seenAt();
  }

  private Node markUnknown(Node node, Instant now) {
    Node updated = nodes.updateStatus(node.toBuilder().setStatus(NodeConditions.markUnknown(node.getStatus(), now)).build());
    log.info("node {}: no heartbeat for {}, status Unknown", node.getMetadata().getName(), grace);
    ctx.recorder().event(updated, "Normal", "NodeNotReady", "Node " + node.getMetadata().getName()
        + " status is now: NodeNotReady");
    return updated;
  }

  /** Sets Ready=False on the node's pods that still claim to be ready (Kubernetes' MarkPodsNotReady). */
  private void markPodsNotReady(Node node, Instant now) {
    for (Pod pod : podLister.byIndex(SharedIndexes.POD_NODE, node.getMetadata().getName())) {
      if (!Pods.isReady(pod) || Pods.isTerminating(pod)) {
        continue;
      }
      PodStatus.Builder s = pod.getStatus().toBuilder().clearConditions();
      for (PodCondition c : pod.getStatus().getConditionsList()) {
        s.addConditions(Pods.READY.equals(c.getType())
            ? c.toBuilder().setStatus("False").setReason("NodeNotReady").setLastTransitionTime(Timestamps.seconds(now)).build()
            : c);
      }
      try {
        pods.updateStatus(pod.toBuilder().setStatus(s).build());
        ctx.recorder().event(pod, "Warning", "NodeNotReady", "Node is not ready");
      } catch (ApiException e) {
        if (!e.isNotFound() && !e.isConflict()) {
          throw e;
        }
      }
    }
  }

  /** Brings the lifecycle taints in line with {@code ready}; whether a NoExecute taint waits for a token. */
  private boolean updateTaints(Node node, String ready, Instant now) {
    String wanted = NodeConditions.noExecuteTaintFor(ready).orElse(null);
    boolean needsNoExecute = wanted != null && !NodeConditions.hasTaint(node, wanted, Tolerations.NO_EXECUTE);
    boolean granted = false;
    if (needsNoExecute) {
      boolean swapping = NodeConditions.noExecuteTaints(node).stream().anyMatch(t ->
          NodeConditions.UNREACHABLE_TAINT.equals(t.getKey()) || NodeConditions.NOT_READY_TAINT.equals(t.getKey()));
      granted = swapping || limiterFor(node).tryAcquire();
    }
    List<Taint> taints = NodeConditions.lifecycleTaints(node, ready, granted, now);
    if (!taints.equals(node.getSpec().getTaintsList())) {
      Node.Builder b = node.toBuilder();
      b.getSpecBuilder().clearTaints().addAllTaints(taints);
      nodes.update(b.build());
      if (granted) {
        log.info("node {}: tainted {}:NoExecute, its pods will be evicted", node.getMetadata().getName(), wanted);
      } else if ("True".equals(ready)) {
        log.info("node {}: ready again, lifecycle taints removed", node.getMetadata().getName());
        ctx.recorder().event(node, "Normal", "NodeReady", "Node " + node.getMetadata().getName() + " status is now: NodeReady");
      }
    }
    return needsNoExecute && !granted;
  }

  /** The zone's limiter, its rate set from the zone's current health. */
  private TaintRateLimiter limiterFor(Node node) {
    String zone = node.getMetadata().getLabelsMap().getOrDefault(ZONE_LABEL, "");
    var rates = ctx.config().evictionRates();
    TaintRateLimiter limiter = zoneLimiters.computeIfAbsent(zone, z -> new TaintRateLimiter(ctx.clock(), rates.qps()));
    List<Node> all = nodeLister.list();
    Map<String, int[]> perZone = new java.util.HashMap<>();
    for (Node n : all) {
      int[] counts = perZone.computeIfAbsent(n.getMetadata().getLabelsMap().getOrDefault(ZONE_LABEL, ""), z -> new int[2]);
      counts["True".equals(NodeConditions.readyStatus(n)) ? 0 : 1]++;
    }
    boolean allFull = perZone.values().stream()
        .allMatch(c -> ZoneState.of(c[0], c[1], rates.unhealthyThreshold()) == ZoneState.FULL_DISRUPTION);
    int[] mine = perZone.getOrDefault(zone, new int[2]);
    ZoneState state = ZoneState.of(mine[0], mine[1], rates.unhealthyThreshold());
    double rate = state.rate(rates, mine[0] + mine[1], allFull);
    if (rate != limiter.rate()) {
      log.info("zone '{}' is {} ({} ready, {} not): tainting at {}/s", zone, state, mine[0], mine[1], rate);
      limiter.setRate(rate);
    }
    return limiter;
  }
}
