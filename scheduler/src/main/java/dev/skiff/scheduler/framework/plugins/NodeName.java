package dev.skiff.scheduler.framework.plugins;

import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Status;
import java.util.Set;

/** A pod that names its node in {@code spec.nodeName} fits that node only. */
public final class NodeName implements FilterPlugin, EnqueueExtensions {
  public static final String NAME = "NodeName";
  public static final String REASON = "node(s) didn't match the requested node name";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    String wanted = pod.nodeName();
    return wanted.isEmpty() || wanted.equals(node.name()) ? Status.success()
        : Status.unresolvable(REASON);
  }

  @Override
  public Set<ClusterEvent.Type> events() {
    return Set.of(ClusterEvent.Type.NODE_ADD);
  }
}
