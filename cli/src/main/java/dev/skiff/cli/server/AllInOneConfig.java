package dev.skiff.cli.server;

import java.nio.file.Path;

/**
 * What {@code skiff server} runs and where.
 *
 * @param dataDir the store's data directory
 * @param listen host:port of the API server's network listener
 * @param storeListen host:port where the store's etcd API is also served ("" for none)
 * @param node the node agent for this machine, or null to run the control plane only
 */
public record AllInOneConfig(Path dataDir, String listen, String storeListen, NodeSpec node) {

  /**
   * The node of this machine.
   *
   * @param runtime "remote" (containerd through the CRI) or "simulated" (a hollow node)
   * @param runtimeEndpoint the CRI socket, for "remote"
   */
  public record NodeSpec(String name, String ip, String runtime, String runtimeEndpoint, int agentPort,
      Path rootDir, Path podLogDir) {}
}
