package dev.skiff.scheduler;

import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.Pod;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Snapshot;
import java.util.LinkedHashMap;
import java.util.Map;

/** A cluster snapshot assembled by hand: nodes, and pods placed on them by spec.nodeName. */
public final class FakeCluster {
  private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();

  public FakeCluster node(Node.Builder node) {
    Node n = node.build();
    nodes.put(n.getMetadata().getName(), NodeInfo.of(n));
    return this;
  }

  public FakeCluster pod(Pod.Builder pod) {
    PodInfo p = PodInfo.of(pod.build());
    nodes.put(p.nodeName(), nodes.get(p.nodeName()).withPod(p));
    return this;
  }

  public NodeInfo get(String name) {
    return nodes.get(name);
  }

  public Snapshot snapshot() {
    return Snapshot.of(nodes.values());
  }
}
