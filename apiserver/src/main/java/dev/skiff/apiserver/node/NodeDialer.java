package dev.skiff.apiserver.node;

import io.grpc.Channel;

/**
 * Opens channels to node agents ({@code skiff.node.v1.NodeAgent}) for Pods/GetLogs and
 * Pods/Exec. The network dialer connects to the node's InternalIP and kubelet port; the
 * all-in-one server may route to in-process agents by node name instead.
 */
public interface NodeDialer extends AutoCloseable {
  /** A channel to the agent of {@code nodeName}, listening at {@code host:port} per its Node status. */
  Channel dial(String nodeName, String host, int port);

  @Override
  default void close() {}
}
