package dev.skiff.scheduler.framework;

/**
 * Decides whether a pod fits a node. Called concurrently for different nodes by the filter
 * workers: implementations keep no mutable state and only read the cycle state.
 */
public interface FilterPlugin extends Plugin {
  Status filter(CycleState state, PodInfo pod, NodeInfo node);
}
