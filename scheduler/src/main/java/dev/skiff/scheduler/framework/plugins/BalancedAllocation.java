package dev.skiff.scheduler.framework.plugins;

import dev.skiff.scheduler.framework.PodInfo;

/**
 * Favors nodes whose cpu and memory would be used in equal fractions after placing the pod:
 * score = (1 - standard deviation of the two fractions) × 100 (Kubernetes'
 * NodeResourcesBalancedAllocation).
 */
public final class BalancedAllocation extends UsageScorer {
  public static final String NAME = "NodeResourcesBalancedAllocation";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  long score(PodInfo pod, NodeUsage used) {
    double cpu = fraction(used.milliCpu() + pod.nonZeroRequests().milliCpu(),
        used.allocatableMilliCpu());
    double mem = fraction(used.memory() + pod.nonZeroRequests().memory(),
        used.allocatableMemory());
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
