package dev.skiff.scheduler.framework.plugins;

import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.HostPort;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PreFilterPlugin;
import dev.skiff.scheduler.framework.PreFilterResult;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import java.util.Set;

/** A node fits only when none of the pod's host ports is taken there (same ip/protocol/port). */
public final class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  public static final String NAME = "NodePorts";
  public static final String REASON = "node(s) didn't have free ports for the requested pod ports";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PreFilterResult preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
    return pod.hostPorts().isEmpty() ? PreFilterResult.skip() : PreFilterResult.success();
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    for (HostPort port : pod.hostPorts()) {
      if (node.hostPortInUse(port)) {
        return Status.unschedulable(REASON);
      }
    }
    return Status.success();
  }

  @Override
  public Set<ClusterEvent.Type> events() {
    return Set.of(ClusterEvent.Type.NODE_ADD, ClusterEvent.Type.ASSIGNED_POD_DELETE);
  }

  @Override
  public boolean isWorthRequeuing(PodInfo pod, ClusterEvent event) {
    if (event.type() != ClusterEvent.Type.ASSIGNED_POD_DELETE) {
      return true;
    }
    PodInfo deleted = PodInfo.of(event.oldPod());
    for (HostPort mine : pod.hostPorts()) {
      for (HostPort theirs : deleted.hostPorts()) {
        if (mine.conflictsWith(theirs)) {
          return true;
        }
      }
    }
    return false;
  }
}
