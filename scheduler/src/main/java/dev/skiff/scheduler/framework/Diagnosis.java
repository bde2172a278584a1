package dev.skiff.scheduler.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Why a pod fits no node: the rejecting status per node, the plugins that rejected it (they decide
 * which cluster events retry the pod), and a PreFilter status when the pod failed before nodes
 * were looked at.
 */
public final class Diagnosis {
  private final int totalNodes;
  private final Map<String, Status> nodeStatuses = new LinkedHashMap<>();
  private final Set<String> rejectingPlugins = new HashSet<>();
  private Status preFilterStatus;
  private String postFilterMessage = "";

  public Diagnosis(int totalNodes) {
    this.totalNodes = totalNodes;
  }

  public void reject(String nodeName, Status status) {
    nodeStatuses.put(nodeName, status);
    if (!status.plugin().isEmpty()) {
      rejectingPlugins.add(status.plugin());
    }
  }

  /** The pod failed PreFilter: every node is rejected for the same reason. */
  public void rejectAll(Status status) {
    preFilterStatus = status;
    if (!status.plugin().isEmpty()) {
      rejectingPlugins.add(status.plugin());
    }
  }

  public void postFilterMessage(String message) {
    postFilterMessage = message;
  }

  public int totalNodes() {
    return totalNodes;
  }

  public Map<String, Status> nodeStatuses() {
    return Collections.unmodifiableMap(nodeStatuses);
  }

  /** The status of a node, or null when it was not evaluated or passed. */
  public Status status(String nodeName) {
    Status s = nodeStatuses.get(nodeName);
    return s != null ? s : preFilterStatus;
  }

  public Set<String> rejectingPlugins() {
    return Collections.unmodifiableSet(rejectingPlugins);
  }

  /**
   * Kubernetes' FitError text: {@code 0/5 nodes are available: 3 Insufficient cpu, 2 node(s) had
   * untolerated taint {dedicated: gpu}.} — reasons counted over nodes, each "count reason" string
   * sorted, then the preemption outcome when preemption ran.
   */
  public String message() {
    StringBuilder sb = new StringBuilder("0/").append(totalNodes).append(" nodes are available");
    Map<String, Integer> histogram = new TreeMap<>();
    if (preFilterStatus != null) {
      for (String reason : preFilterStatus.reasons()) {
        histogram.merge(reason, totalNodes, Integer::sum);
      }
    } else {
      for (Status s : nodeStatuses.values()) {
        for (String reason : s.reasons()) {
          histogram.merge(reason, 1, Integer::sum);
        }
      }
    }
    List<String> parts = new ArrayList<>();
    histogram.forEach((reason, count) -> parts.add(count + " " + reason));
    Collections.sort(parts);
    if (!parts.isEmpty()) {
      sb.append(": ").append(String.join(", ", parts));
    }
    sb.append('.');
    if (!postFilterMessage.isEmpty()) {
      sb.append(' ').append(postFilterMessage);
    }
    return sb.toString();
  }
}
