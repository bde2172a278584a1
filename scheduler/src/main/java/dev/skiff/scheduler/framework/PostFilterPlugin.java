package dev.skiff.scheduler.framework;

/** Runs when no node fits (preemption): may nominate a node after making room on it. */
public interface PostFilterPlugin extends Plugin {
  PostFilterResult postFilter(CycleState state, PodInfo pod, Snapshot snapshot, Diagnosis diagnosis,
      Framework framework);
}
