package dev.skiff.scheduler.framework;

import java.util.List;

/**
 * Ranks the nodes that passed filtering. Scores are in [0, {@link #MAX_SCORE}] after
 * {@link #normalize}; the profile multiplies them by the plugin's weight. {@link #score} is called
 * concurrently for different nodes.
 */
public interface ScorePlugin extends Plugin {
  long MAX_SCORE = 100;

  /** Computes state over the feasible nodes; {@link Status#skip()} skips this plugin's scoring. */
  default Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, Snapshot snapshot) {
    return Status.success();
  }

  long score(CycleState state, PodInfo pod, NodeInfo node);

  /**
   * The same score for node {@code i} of the snapshot, where the plugin can read it from the
   * node's {@link NodeColumns} row instead of its {@link NodeInfo} (by default: {@link #score}).
   */
  default long score(CycleState state, PodInfo pod, NodeColumns columns, int i, NodeInfo node) {
    return score(state, pod, node);
  }

  /** Rescales raw scores (index-aligned with the nodes) into [0, MAX_SCORE] in place. */
  default void normalize(CycleState state, PodInfo pod, long[] scores) {}
}
