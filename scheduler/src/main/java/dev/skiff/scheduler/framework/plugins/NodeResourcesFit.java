package dev.skiff.scheduler.framework.plugins;

import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.NodeColumns;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Resources;
import dev.skiff.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Filter: the pod's requests (cpu, memory, extended resources) and one more pod fit in what the
 * node's allocatable leaves after the pods already there (bound or assumed). Score: Kubernetes'
 * LeastAllocated strategy over cpu and memory (non-zero defaults for requests left unset).
 */
public final class NodeResourcesFit extends UsageScorer
    implements FilterPlugin, EnqueueExtensions {
  public static final String NAME = "NodeResourcesFit";
  public static final String TOO_MANY_PODS = "Too many pods";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    List<String> reasons = insufficient(pod.requests(), node);
    return reasons.isEmpty() ? Status.success()
        : Status.unschedulable(reasons.toArray(String[]::new));
  }

  /**
   * The check of {@link #insufficient} on the node's row, for pods without extended resources
   * (those are left to {@link #filter}).
   */
  @Override
  public boolean passes(CycleState state, PodInfo pod, NodeColumns c, int i) {
    Resources req = pod.requests();
    return req.scalars().isEmpty()
        && c.podCount(i) + 1 <= c.allocatablePods(i)
        && (req.milliCpu() <= 0
            || req.milliCpu() <= c.allocatableMilliCpu(i) - c.requestedMilliCpu(i))
        && (req.memory() <= 0 || req.memory() <= c.allocatableMemory(i) - c.requestedMemory(i));
  }

  /** The reasons ("Too many pods", "Insufficient cpu", ...) the pod does not fit, or none. */
  static List<String> insufficient(Resources req, NodeInfo node) {
    List<String> reasons = null;
    if (node.podCount() + 1 > node.allocatablePods()) {
      reasons = add(reasons, TOO_MANY_PODS);
    }
    if (req.milliCpu() > 0
        && req.milliCpu() > node.allocatableMilliCpu() - node.requestedMilliCpu()) {
      reasons = add(reasons, "Insufficient cpu");
    }
    if (req.memory() > 0 && req.memory() > node.allocatableMemory() - node.requestedMemory()) {
      reasons = add(reasons, "Insufficient memory");
    }
    if (!req.scalars().isEmpty()) {
      Resources used = node.requested();
      Resources alloc = node.allocatable();
      for (Map.Entry<String, Long> e : req.scalars().entrySet()) {
        if (e.getValue() > 0
            && e.getValue() > alloc.scalar(e.getKey()) - used.scalar(e.getKey())) {
          reasons = add(reasons, "Insufficient " + e.getKey());
        }
      }
    }
    return reasons == null ? List.of() : reasons;
  }

  private static List<String> add(List<String> reasons, String reason) {
    List<String> r = reasons == null ? new ArrayList<>(2) : reasons;
    r.add(reason);
    return r;
  }

  /** LeastAllocated: the mean over cpu and memory of free capacity after placing the pod, 0..100. */
  @Override
  long score(PodInfo pod, NodeUsage used) {
    long cpu = leastAllocated(used.milliCpu() + pod.nonZeroRequests().milliCpu(),
        used.allocatableMilliCpu());
    long mem = leastAllocated(used.memory() + pod.nonZeroRequests().memory(),
        used.allocatableMemory());
    return (cpu + mem) / 2;
  }

  private static long leastAllocated(long requested, long capacity) {
    if (capacity <= 0 || requested > capacity) {
      return 0;
    }
    return (capacity - requested) * MAX_SCORE / capacity;
  }

  @Override
  public Set<ClusterEvent.Type> events() {
    return Set.of(ClusterEvent.Type.NODE_ADD, ClusterEvent.Type.NODE_UPDATE,
        ClusterEvent.Type.ASSIGNED_POD_DELETE, ClusterEvent.Type.ASSIGNED_POD_UPDATE);
  }

  @Override
  public boolean isWorthRequeuing(PodInfo pod, ClusterEvent event) {
    if (event.type() != ClusterEvent.Type.NODE_UPDATE) {
      return true;
    }
    // Only a node whose allocatable grew (or a new one) can now hold the pod.
    Resources before = Resources.parse(event.oldNode().getStatus().getAllocatableMap());
    Resources after = Resources.parse(event.newNode().getStatus().getAllocatableMap());
    return !before.equals(after) && !after.max(before).equals(before);
  }
}
