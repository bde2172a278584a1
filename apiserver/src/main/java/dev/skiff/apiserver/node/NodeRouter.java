package dev.skiff.apiserver.node;

import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeAddress;
import dev.skiff.api.v1.Pod;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.registry.Registry;
import io.grpc.Channel;

/** Finds the agent of a pod's node: the Node's InternalIP (else Hostname) and kubelet port. */
public final class NodeRouter {
  private final Registry<Node, ?> nodes;
  private final NodeDialer dialer;

  public NodeRouter(Registry<Node, ?> nodes, NodeDialer dialer) {
    this.nodes = nodes;
    this.dialer = dialer;
  }

  public Channel channelFor(Pod pod) {
    String nodeName = pod.getSpec().getNodeName();
    if (nodeName.isEmpty()) {
      throw ApiError.failedPrecondition("pod " + pod.getMetadata().getName() + " does not have a host assigned");
    }
    Node node = nodes.find("", nodeName).orElseThrow(() -> ApiError.failedPrecondition(
        "pod " + pod.getMetadata().getName() + " is on node " + nodeName + ", which is not registered"));
    String host = address(node, "InternalIP");
    if (host == null) {
      host = address(node, "Hostname");
    }
    int port = node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort();
    if (host == null || port <= 0) {
      throw ApiError.unavailable("node " + nodeName + " publishes no InternalIP address and kubelet port "
          + "(status.addresses, status.daemonEndpoints.kubeletEndpoint.Port)");
    }
    return dialer.dial(nodeName, host, port);
  }

  private static String address(Node node, String type) {
    for (NodeAddress a : node.getStatus().getAddressesList()) {
      if (a.getType().equals(type) && !a.getAddress().isEmpty()) {
        return a.getAddress();
      }
    }
    return null;
  }
}
