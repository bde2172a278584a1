package dev.skiff.scheduler.framework.plugins;

import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.NodeColumns;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.ScorePlugin;

/** A score computed from the node's cpu and memory usage alone, read from either source. */
abstract class UsageScorer implements ScorePlugin {
  @Override
  public final long score(CycleState state, PodInfo pod, NodeInfo node) {
    return score(pod, NodeUsage.of(node));
  }

  @Override
  public final long score(CycleState state, PodInfo pod, NodeColumns columns, int i,
      NodeInfo node) {
    return score(pod, NodeUsage.of(columns, i));
  }

  abstract long score(PodInfo pod, NodeUsage used);
}
