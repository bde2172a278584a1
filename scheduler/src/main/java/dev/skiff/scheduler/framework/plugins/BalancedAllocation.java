package dev.skiff.scheduler.framework.plugins;

import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.ScorePlugin;

/**
 * Favors nodes whose cpu and memory would be used in equal fractions after placing the pod:
 * score = (1 - standard deviation of the two fractions) × 100 (Kubernetes'
 * NodeResourcesBalancedAllocation).
 */
public final class BalancedAllocation implements ScorePlugin {
  public static final String NAME = "NodeResourcesBalancedAllocation";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    double cpu = fraction(node.nonZeroRequestedMilliCpu() + pod.nonZeroRequests().milliCpu(),
        node.allocatableMilliCpu());
    double mem = fraction(node.nonZeroRequestedMemory() + pod.nonZeroRequests().memory(),
        node.allocatableMemory());
    double std = Math.abs(cpu - mem) / 2;
    return (long) ((1 - std) * MAX_SCORE);
  }

  private static double fraction(long requested, long capacity) {
    if (capacity <= 0) {
      return 1;
    }
    return Math.min(1.0, (double) requested / capacity);
  }
}
