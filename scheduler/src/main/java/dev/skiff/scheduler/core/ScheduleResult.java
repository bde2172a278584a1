package dev.skiff.scheduler.core;

import dev.skiff.scheduler.framework.Diagnosis;
import dev.skiff.scheduler.framework.Status;

/**
 * One scheduling attempt's outcome: a node, or the diagnosis of why none fits, or an error.
 *
 * @param evaluated nodes whose filters ran
 * @param feasible nodes that passed the filters (a prefix of the cluster, see
 *     percentageOfNodesToScore)
 */
public record ScheduleResult(String node, Diagnosis diagnosis, Status error, int evaluated,
    int feasible) {

  public boolean scheduled() {
    return node != null;
  }
}
