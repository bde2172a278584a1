package dev.skiff.scheduler.framework;

import java.util.Set;

/**
 * Which cluster events may make a pod that this plugin rejected schedulable (Kubernetes'
 * QueueingHints, simplified). A plugin that does not implement this interface is assumed to care
 * about every event.
 */
public interface EnqueueExtensions {
  Set<ClusterEvent.Type> events();

  /** A finer check on one event; called on the informer thread, so it must be cheap. */
  default boolean isWorthRequeuing(PodInfo pod, ClusterEvent event) {
    return true;
  }
}
