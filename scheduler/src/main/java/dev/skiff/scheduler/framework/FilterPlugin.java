package dev.skiff.scheduler.framework;

/**
 * Decides whether a pod fits a node. Called concurrently for different nodes by the filter
 * workers: implementations keep no mutable state and only read the cycle state.
 */
public interface FilterPlugin extends Plugin {
  Status filter(CycleState state, PodInfo pod, NodeInfo node);

  /**
   * A shortcut for the filter pass over a snapshot: true only when {@link #filter} would succeed
   * on node {@code i} of the snapshot, decided from its {@link NodeColumns} row alone. False means
   * "not sure": the framework then runs {@link #filter}, which decides and says why. The default
   * is never sure.
   */
  default boolean passes(CycleState state, PodInfo pod, NodeColumns columns, int i) {
    return false;
  }
}
