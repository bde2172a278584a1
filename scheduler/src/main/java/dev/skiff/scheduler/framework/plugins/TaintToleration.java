package dev.skiff.scheduler.framework.plugins;

import dev.skiff.api.v1.Taint;
import dev.skiff.api.v1.Toleration;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.NodeColumns;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Status;
import java.util.List;
import java.util.Set;

/**
 * NoSchedule and NoExecute taints the pod does not tolerate reject the node; untolerated
 * PreferNoSchedule taints lower its score (fewer is better).
 */
public final class TaintToleration implements FilterPlugin, ScorePlugin, EnqueueExtensions {
  public static final String NAME = "TaintToleration";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    Taint taint = Tolerations.firstUntolerated(node.taints(), pod.pod().getSpec().getTolerationsList());
    return taint == null ? Status.success()
        : Status.unresolvable("node(s) had untolerated taint " + Tolerations.describe(taint));
  }

  /** A node without taints has none the pod fails to tolerate. */
  @Override
  public boolean passes(CycleState state, PodInfo pod, NodeColumns columns, int i) {
    return !columns.hasTaints(i);
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeColumns columns, int i, NodeInfo node) {
    return columns.hasTaints(i) ? score(state, pod, node) : 0;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    List<Toleration> tolerations = pod.pod().getSpec().getTolerationsList();
    long count = 0;
    for (Taint taint : node.taints()) {
      if (Tolerations.PREFER_NO_SCHEDULE.equals(taint.getEffect())
          && !preferNoScheduleTolerated(tolerations, taint)) {
        count++;
      }
    }
    return count;
  }

  private static boolean preferNoScheduleTolerated(List<Toleration> tolerations, Taint taint) {
    for (Toleration t : tolerations) {
      if ((t.getEffect().isEmpty() || Tolerations.PREFER_NO_SCHEDULE.equals(t.getEffect()))
          && Tolerations.tolerates(t, taint)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, long[] scores) {
    Scores.normalize(scores, true);
  }

  @Override
  public Set<ClusterEvent.Type> events() {
    return Set.of(ClusterEvent.Type.NODE_ADD, ClusterEvent.Type.NODE_UPDATE);
  }

  @Override
  public boolean isWorthRequeuing(PodInfo pod, ClusterEvent event) {
    return Tolerations.firstUntolerated(event.newNode().getSpec().getTaintsList(),
        pod.pod().getSpec().getTolerationsList()) == null;
  }
}
