package dev.skiff.nodeagent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of one node agent.
 *
 * @param nodeName the Node object's name (and the Lease's in {@code kube-node-lease})
 * @param nodeIp the node's InternalIP (also each pod's hostIP)
 * @param hostname the Hostname address and the {@code kubernetes.io/hostname} label
 * @param listenPort the port of the agent's own gRPC server (NodeAgent: logs, exec); 0 picks a free
 *     port; -1 starts no server (in-process use of {@link NodeAgent#nodeAgentService()})
 * @param advertisedPort the port reported as {@code daemonEndpoints.kubeletEndpoint.Port} when no
 *     server is started (-1 listenPort); ignored otherwise
 * @param cpuMillis CPU capacity in millicores, 0 = the machine's processors
 * @param memoryBytes memory capacity, 0 = MemTotal of /proc/meminfo
 * @param maxPods pod capacity (kubelet: 110)
 * @param rootDir the agent's state directory: pod volumes under {@code rootDir/pods/<uid>/volumes}
 * @param podLogDir where pod log directories go ({@code <ns>_<name>_<uid>}); kubelet: /var/log/pods
 * @param readHostStats read /proc and statvfs for capacity, pressure and node info (false for
 *     hollow nodes, which report synthetic values)
 * @param dnsServers nameservers for pods with dnsPolicy ClusterFirst/Default; empty = the host's
 *     resolv.conf (the runtime's default)
 * @param dnsSearches search domains given with {@code dnsServers}
 * @param labels extra node labels
 * @param periods the agent's loop periods
 */
public record NodeAgentConfig(
    String nodeName,
    String nodeIp,
    String hostname,
    int listenPort,
    int advertisedPort,
    long cpuMillis,
    long memoryBytes,
    int maxPods,
    Path rootDir,
    Path podLogDir,
    boolean readHostStats,
    List<String> dnsServers,
    List<String> dnsSearches,
    Map<String, String> labels,
    Periods periods) {

  /**
   * Loop periods.
   *
   * @param leaseRenew how often the node Lease is renewed (kubelet: 10 s)
   * @param leaseDuration the Lease's duration (kubelet: 40 s)
   * @param nodeStatus how often node status is computed (written only when changed)
   * @param nodeStatusReport how often node status is written even if unchanged (kubelet: 5 min)
   * @param relist how often the runtime is relisted for container changes (containerd 1.6 has no
   *     event stream)
   * @param podResync how often each pod is re-synced without a trigger
   */
  public record Periods(
      Duration leaseRenew,
      Duration leaseDuration,
      Duration nodeStatus,
      Duration nodeStatusReport,
      Duration relist,
      Duration podResync) {
    public static Periods defaults() {
      return new Periods(Duration.ofSeconds(10), Duration.ofSeconds(40), Duration.ofSeconds(10),
          Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    /** Relaxed periods for thousands of hollow nodes in one process. */
    public static Periods hollow() {
      return new Periods(Duration.ofSeconds(10), Duration.ofSeconds(40), Duration.ofSeconds(30),
          Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofMinutes(1));
    }
  }

  public NodeAgentConfig {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(nodeIp, "nodeIp");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(rootDir, "rootDir");
    Objects.requireNonNull(podLogDir, "podLogDir");
    Objects.requireNonNull(periods, "periods");
    if (nodeName.isEmpty()) {
      throw new IllegalArgumentException("node name must not be empty");
    }
    if (maxPods < 1) {
      throw new IllegalArgumentException("maxPods must be positive, got " + maxPods);
    }
    if (cpuMillis < 0 || memoryBytes < 0) {
      throw new IllegalArgumentException("cpu and memory overrides must not be negative");
    }
    dnsServers = List.copyOf(dnsServers);
    dnsSearches = List.copyOf(dnsSearches);
    labels = Map.copyOf(labels);
  }

  /** A real node: server on {@code listenPort}, /var/lib/skiff, /var/log/pods, host stats read. */
  public static NodeAgentConfig forHost(String nodeName, String nodeIp, int listenPort) {
    return new NodeAgentConfig(nodeName, nodeIp, nodeName, listenPort, -1, 0, 0, 110,
        Path.of("/var/lib/skiff"), Path.of("/var/log/pods"), true, List.of(), List.of(), Map.of(),
        Periods.defaults());
  }

  public NodeAgentConfig withCapacity(long newCpuMillis, long newMemoryBytes, int newMaxPods) {
    return new NodeAgentConfig(nodeName, nodeIp, hostname, listenPort, advertisedPort, newCpuMillis,
        newMemoryBytes, newMaxPods, rootDir, podLogDir, readHostStats, dnsServers, dnsSearches,
        labels, periods);
  }

  public NodeAgentConfig withDirs(Path newRootDir, Path newPodLogDir) {
    return new NodeAgentConfig(nodeName, nodeIp, hostname, listenPort, advertisedPort, cpuMillis,
        memoryBytes, maxPods, newRootDir, newPodLogDir, readHostStats, dnsServers, dnsSearches,
        labels, periods);
  }

  public NodeAgentConfig withPeriods(Periods newPeriods) {
    return new NodeAgentConfig(nodeName, nodeIp, hostname, listenPort, advertisedPort, cpuMillis,
        memoryBytes, maxPods, rootDir, podLogDir, readHostStats, dnsServers, dnsSearches, labels,
        newPeriods);
  }

  /** No own gRPC server; report {@code port} as the daemon endpoint (all-in-one, in-process). */
  public NodeAgentConfig withInProcessServer(int port) {
    return new NodeAgentConfig(nodeName, nodeIp, hostname, -1, port, cpuMillis, memoryBytes,
        maxPods, rootDir, podLogDir, readHostStats, dnsServers, dnsSearches, labels, periods);
  }

  public NodeAgentConfig withReadHostStats(boolean read) {
    return new NodeAgentConfig(nodeName, nodeIp, hostname, listenPort, advertisedPort, cpuMillis,
        memoryBytes, maxPods, rootDir, podLogDir, read, dnsServers, dnsSearches, labels, periods);
  }

  public NodeAgentConfig withDns(List<String> servers, List<String> searches) {
    return new NodeAgentConfig(nodeName, nodeIp, hostname, listenPort, advertisedPort, cpuMillis,
        memoryBytes, maxPods, rootDir, podLogDir, readHostStats, servers, searches, labels, periods);
  }

  public NodeAgentConfig withLabels(Map<String, String> newLabels) {
    return new NodeAgentConfig(nodeName, nodeIp, hostname, listenPort, advertisedPort, cpuMillis,
        memoryBytes, maxPods, rootDir, podLogDir, readHostStats, dnsServers, dnsSearches, newLabels,
        periods);
  }

  /** The directory of one pod's volumes and state. */
  public Path podDir(String uid) {
    return rootDir.resolve("pods").resolve(uid);
  }
}
