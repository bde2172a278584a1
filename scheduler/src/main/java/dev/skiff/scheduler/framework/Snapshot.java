package dev.skiff.scheduler.framework;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as one scheduling cycle sees it: every node with a Node object, with its pods.
 *
 * <p>Thread ownership: the scheduling thread. The cache refreshes it in place between cycles
 * ({@link #reset}, {@link #replace}) so that a cycle costs only the nodes that changed; during a
 * cycle it is read-only and may be read by the filter workers (the lazily derived lists are
 * computed by the scheduling thread only: PreFilter and PreScore). The {@link NodeInfo} values are
 * immutable; their hot numbers are mirrored in {@link #columns()}, kept in step by {@link #reset}
 * and {@link #replace}.
 */
public final class Snapshot {
  private NodeInfo[] nodes = new NodeInfo[0];
  private NodeColumns columns = NodeColumns.of(nodes);
  private Map<String, Integer> index = new HashMap<>();
  private List<NodeInfo> withAffinity;
  private List<NodeInfo> withRequiredAnti;
  private Map<String, Integer> imageNodeCounts;

  public static Snapshot of(Collection<NodeInfo> nodeInfos) {
    Snapshot s = new Snapshot();
    s.reset(nodeInfos);
    return s;
  }

  /** Replaces the whole node set (nodes were added or removed). */
  public void reset(Collection<NodeInfo> nodeInfos) {
    nodes = nodeInfos.stream().filter(n -> n.node() != null).toArray(NodeInfo[]::new);
    Arrays.sort(nodes, (a, b) -> a.name().compareTo(b.name()));
    index = new HashMap<>(nodes.length * 2);
    for (int i = 0; i < nodes.length; i++) {
      index.put(nodes[i].name(), i);
    }
    columns = NodeColumns.of(nodes);
    invalidateDerived(true);
  }

  /** Replaces one node already in the snapshot (its pods or its Node object changed). */
  public void replace(NodeInfo info) {
    Integer i = index.get(info.name());
    if (i == null) {
      throw new IllegalStateException("node " + info.name() + " is not in the snapshot");
    }
    NodeInfo old = nodes[i];
    nodes[i] = info;
    columns.set(i, info);
    if (old.hasPodsWithAffinity() || info.hasPodsWithAffinity()
        || old.hasPodsWithRequiredAntiAffinity() || info.hasPodsWithRequiredAntiAffinity()) {
      withAffinity = null;
      withRequiredAnti = null;
    }
    if (old.node() != info.node()) {
      imageNodeCounts = null;
    }
  }

  /** A copy with one node replaced, for what-if evaluation (preemption); this one is unchanged. */
  public Snapshot withNode(NodeInfo info) {
    Snapshot copy = new Snapshot();
    copy.nodes = nodes.clone();
    copy.columns = columns.copy();
    copy.index = index;
    copy.imageNodeCounts = imageNodeCounts;
    copy.replace(info);
    return copy;
  }

  public boolean contains(String name) {
    return index.containsKey(name);
  }

  public int size() {
    return nodes.length;
  }

  public NodeInfo get(int i) {
    return nodes[i];
  }

  /** The hot numbers of every node, index-aligned with {@link #get(int)}. */
  public NodeColumns columns() {
    return columns;
  }

  /** The node, or null when the snapshot has no such node. */
  public NodeInfo get(String name) {
    Integer i = index.get(name);
    return i == null ? null : nodes[i];
  }

  public List<NodeInfo> list() {
    return Arrays.asList(nodes);
  }

  /** Nodes with at least one pod having any pod (anti-)affinity term. */
  public List<NodeInfo> nodesWithAffinityPods() {
    if (withAffinity == null) {
      withAffinity = Arrays.stream(nodes).filter(NodeInfo::hasPodsWithAffinity).toList();
    }
    return withAffinity;
  }

  /** Nodes with at least one pod having a required anti-affinity term. */
  public List<NodeInfo> nodesWithRequiredAntiAffinityPods() {
    if (withRequiredAnti == null) {
      withRequiredAnti =
          Arrays.stream(nodes).filter(NodeInfo::hasPodsWithRequiredAntiAffinity).toList();
    }
    return withRequiredAnti;
  }

  /** On how many nodes an image (normalized name) is present. */
  public int imageNodeCount(String image) {
    if (imageNodeCounts == null) {
      Map<String, Integer> counts = new HashMap<>();
      for (NodeInfo n : nodes) {
        for (String name : n.imageSizes().keySet()) {
          counts.merge(name, 1, Integer::sum);
        }
      }
      imageNodeCounts = counts;
    }
    return imageNodeCounts.getOrDefault(image, 0);
  }

  private void invalidateDerived(boolean images) {
    withAffinity = null;
    withRequiredAnti = null;
    if (images) {
      imageNodeCounts = null;
    }
  }

  @Override
  public String toString() {
    return "Snapshot(" + nodes.length + " nodes)";
  }
}
