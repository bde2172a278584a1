package dev.skiff.scheduler.framework;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Pods that preempted others and wait for the room they made: their node is "nominated". While
 * they wait, pods of lower or equal priority are filtered as if the nominated pods were already
 * there, so they do not take the freed room. Thread-safe (read by filter workers).
 */
public final class Nominator {
  private final Map<String, List<PodInfo>> byNode = new ConcurrentHashMap<>();
  private final Map<String, String> nodeOf = new ConcurrentHashMap<>();

  public void nominate(PodInfo pod, String nodeName) {
    remove(pod.key());
    byNode.computeIfAbsent(nodeName, n -> new CopyOnWriteArrayList<>()).add(pod);
    nodeOf.put(pod.key(), nodeName);
  }

  /** The pod was bound, deleted or nominated elsewhere. */
  public void remove(String podKey) {
    String node = nodeOf.remove(podKey);
    if (node != null) {
      List<PodInfo> pods = byNode.get(node);
      if (pods != null) {
        pods.removeIf(p -> p.key().equals(podKey));
      }
    }
  }

  /** The node the pod is nominated to, or null. */
  public String nodeOf(String podKey) {
    return nodeOf.get(podKey);
  }

  public boolean isEmpty() {
    return nodeOf.isEmpty();
  }

  /** Pods nominated to the node with priority at least {@code priority}, other than the pod itself. */
  public List<PodInfo> nominatedFor(String nodeName, String podKey, int priority) {
    List<PodInfo> pods = byNode.get(nodeName);
    if (pods == null || pods.isEmpty()) {
      return List.of();
    }
    return pods.stream().filter(p -> p.priority() >= priority && !p.key().equals(podKey)).toList();
  }
}
