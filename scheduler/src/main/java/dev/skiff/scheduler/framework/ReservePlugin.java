package dev.skiff.scheduler.framework;

/** Holds resources for a pod between choosing its node and binding; undone on failure. */
public interface ReservePlugin extends Plugin {
  Status reserve(CycleState state, PodInfo pod, String nodeName);

  void unreserve(CycleState state, PodInfo pod, String nodeName);
}
