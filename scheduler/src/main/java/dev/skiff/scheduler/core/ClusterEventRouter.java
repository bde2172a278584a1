package dev.skiff.scheduler.core;

import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.Pod;
import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.Nominator;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.queue.SchedulingQueue;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns informer notifications into cache updates, queue changes and cluster events
 * (Kubernetes' eventhandlers.go). Assigned, non-terminal pods go to the cache; unassigned pods
 * of our scheduler names go to the queue. Called on the informer threads; every call is quick.
 */
public final class ClusterEventRouter {
  private static final Logger log = LoggerFactory.getLogger(ClusterEventRouter.class);

  private final SchedulerCache cache;
  private final SchedulingQueue queue;
  private final Nominator nominator;
  private final PriorityResolver priorities;
  private final Set<String> schedulerNames;

  public ClusterEventRouter(SchedulerCache cache, SchedulingQueue queue, Nominator nominator,
      PriorityResolver priorities, Set<String> schedulerNames) {
    this.cache = cache;
    this.queue = queue;
    this.nominator = nominator;
    this.priorities = priorities;
    this.schedulerNames = Set.copyOf(schedulerNames);
  }

  public void onPodAdd(Pod pod) {
    if (isAssigned(pod)) {
      if (!isTerminal(pod)) {
        addAssigned(pod);
        queue.onEvent(ClusterEvent.podAdd(pod));
      }
    } else if (isOurs(pod) && !pod.getMetadata().hasDeletionTimestamp()) {
      PodInfo info = podInfo(pod);
      if (info != null) {
        queue.add(info);
      }
    }
  }

  public void onPodUpdate(Pod oldPod, Pod newPod) {
    String key = PodInfo.keyOf(newPod);
    if (isAssigned(newPod)) {
      if (isTerminal(newPod)) {
        cache.removePod(key);
        queue.onEvent(ClusterEvent.podDelete(newPod));
        return;
      }
      if (!isAssigned(oldPod)) {
        queue.delete(key);
        addAssigned(newPod);
        queue.onEvent(ClusterEvent.podAdd(newPod));
        return;
      }
      addAssigned(newPod);
      if (!oldPod.getMetadata().getLabelsMap().equals(newPod.getMetadata().getLabelsMap())
          || newPod.getMetadata().hasDeletionTimestamp() != oldPod.getMetadata().hasDeletionTimestamp()) {
        queue.onEvent(ClusterEvent.podUpdate(oldPod, newPod));
      }
      return;
    }
    if (!isOurs(newPod)) {
      return;
    }
    if (newPod.getMetadata().hasDeletionTimestamp()) {
      queue.delete(key);
      nominator.remove(key);
      return;
    }
    PodInfo info = podInfo(newPod);
    if (info != null) {
      queue.update(info, schedulingInputsChanged(oldPod, newPod));
    }
  }

  public void onPodDelete(Pod pod) {
    String key = PodInfo.keyOf(pod);
    if (isAssigned(pod)) {
      cache.removePod(key);
      queue.onEvent(ClusterEvent.podDelete(pod));
    } else {
      queue.delete(key);
    }
    nominator.remove(key);
  }

  public void onNodeAdd(Node node) {
    cache.addNode(node);
    queue.onEvent(ClusterEvent.nodeAdd(node));
  }

  public void onNodeUpdate(Node oldNode, Node newNode) {
    cache.updateNode(newNode);
    if (!oldNode.getMetadata().getLabelsMap().equals(newNode.getMetadata().getLabelsMap())
        || !oldNode.getSpec().equals(newNode.getSpec())
        || !oldNode.getStatus().getAllocatableMap().equals(newNode.getStatus().getAllocatableMap())
        || !oldNode.getStatus().getImagesList().equals(newNode.getStatus().getImagesList())) {
      queue.onEvent(ClusterEvent.nodeUpdate(oldNode, newNode));
    }
  }

  public void onNodeDelete(Node node) {
    cache.removeNode(node.getMetadata().getName());
    queue.onEvent(ClusterEvent.nodeDelete(node));
  }

  private void addAssigned(Pod pod) {
    PodInfo info = podInfo(pod);
    if (info != null) {
      cache.addPod(info);
    }
    nominator.remove(PodInfo.keyOf(pod));
  }

  private PodInfo podInfo(Pod pod) {
    try {
      return PodInfo.of(pod, priorities.priority(pod));
    } catch (IllegalArgumentException e) {
      log.warn("ignoring pod {}: {}", PodInfo.keyOf(pod), e.getMessage());
      return null;
    }
  }

  private boolean isOurs(Pod pod) {
    String name = pod.getSpec().getSchedulerName();
    return schedulerNames.contains(name.isEmpty() ? "default-scheduler" : name);
  }

  private static boolean isAssigned(Pod pod) {
    return !pod.getSpec().getNodeName().isEmpty();
  }

  private static boolean isTerminal(Pod pod) {
    String phase = pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** Whether anything but status and bookkeeping changed (Kubernetes' isPodUpdated). */
  private static boolean schedulingInputsChanged(Pod oldPod, Pod newPod) {
    return !Objects.equals(oldPod.getSpec(), newPod.getSpec())
        || !oldPod.getMetadata().getLabelsMap().equals(newPod.getMetadata().getLabelsMap())
        || !oldPod.getMetadata().getAnnotationsMap().equals(newPod.getMetadata().getAnnotationsMap());
  }
}
