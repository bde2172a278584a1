package dev.skiff.scheduler.core;

import dev.skiff.scheduler.framework.PodInfo;

/**
 * Tells the cluster what became of a pod: events and the PodScheduled condition. Implementations
 * must not block the caller (the scheduling thread, or a binding thread) on the API server.
 */
public interface SchedulingReporter {
  /** Bound: a Normal event "Scheduled". */
  void scheduled(PodInfo pod, String nodeName);

  /**
   * No node fits: condition PodScheduled=False reason Unschedulable with {@code message}, a
   * Warning event FailedScheduling, and {@code status.nominatedNodeName} when preemption made
   * room ({@code nominatedNode} non-empty).
   */
  void unschedulable(PodInfo pod, String message, String nominatedNode);

  /** Scheduling or binding failed with an error; the pod is retried with backoff. */
  void error(PodInfo pod, String message);
}
