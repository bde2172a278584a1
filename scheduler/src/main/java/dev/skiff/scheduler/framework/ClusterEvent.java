package dev.skiff.scheduler.framework;

import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.Pod;

/** A change in the cluster that may make unschedulable pods schedulable. Old/new may be null. */
public record ClusterEvent(Type type, Node oldNode, Node newNode, Pod oldPod, Pod newPod) {

  public enum Type {
    NODE_ADD,
    NODE_UPDATE,
    NODE_DELETE,
    ASSIGNED_POD_ADD,
    ASSIGNED_POD_UPDATE,
    ASSIGNED_POD_DELETE,
    /** Pods that waited too long in the unschedulable set, retried regardless. */
    UNSCHEDULABLE_TIMEOUT
  }

  public static ClusterEvent nodeAdd(Node node) {
    return new ClusterEvent(Type.NODE_ADD, null, node, null, null);
  }

  public static ClusterEvent nodeUpdate(Node oldNode, Node newNode) {
    return new ClusterEvent(Type.NODE_UPDATE, oldNode, newNode, null, null);
  }

  public static ClusterEvent nodeDelete(Node node) {
    return new ClusterEvent(Type.NODE_DELETE, node, null, null, null);
  }

  public static ClusterEvent podAdd(Pod pod) {
    return new ClusterEvent(Type.ASSIGNED_POD_ADD, null, null, null, pod);
  }

  public static ClusterEvent podUpdate(Pod oldPod, Pod newPod) {
    return new ClusterEvent(Type.ASSIGNED_POD_UPDATE, null, null, oldPod, newPod);
  }

  public static ClusterEvent podDelete(Pod pod) {
    return new ClusterEvent(Type.ASSIGNED_POD_DELETE, null, null, pod, null);
  }
}
