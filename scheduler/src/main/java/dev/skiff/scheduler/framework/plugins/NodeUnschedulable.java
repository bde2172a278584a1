package dev.skiff.scheduler.framework.plugins;

import dev.skiff.api.v1.Taint;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.NodeColumns;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Status;
import java.util.Set;

/** Cordoned nodes ({@code spec.unschedulable}) take only pods tolerating the unschedulable taint. */
public final class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  public static final String NAME = "NodeUnschedulable";
  public static final String REASON = "node(s) were unschedulable";
  public static final String TAINT_KEY = "node.kubernetes.io/unschedulable";
  private static final Taint TAINT =
      Taint.newBuilder().setKey(TAINT_KEY).setEffect(Tolerations.NO_SCHEDULE).build();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    if (!node.unschedulable()
        || Tolerations.tolerated(pod.pod().getSpec().getTolerationsList(), TAINT)) {
      return Status.success();
    }
    return Status.unresolvable(REASON);
  }

  @Override
  public boolean passes(CycleState state, PodInfo pod, NodeColumns columns, int i) {
    return !columns.unschedulable(i);
  }

  @Override
  public Set<ClusterEvent.Type> events() {
    return Set.of(ClusterEvent.Type.NODE_ADD, ClusterEvent.Type.NODE_UPDATE);
  }

  @Override
  public boolean isWorthRequeuing(PodInfo pod, ClusterEvent event) {
    return !event.newNode().getSpec().getUnschedulable();
  }
}
