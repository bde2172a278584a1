package dev.skiff.cli;

import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Quantity;
import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.RemoteRuntime;
import dev.skiff.cri.RuntimeTimeouts;
import dev.skiff.cri.sim.SimulatedCriConfig;
import dev.skiff.cri.sim.SimulatedCriServer;
import dev.skiff.nodeagent.NodeAgent;
import dev.skiff.nodeagent.NodeAgentConfig;
import dev.skiff.nodeagent.sim.HollowNodes;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skiff agent}: the node agent of this machine on containerd (or any CRI runtime), or
 * {@code --runtime simulated --count N} hollow nodes in one process. Runs until interrupted.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
    description = "Run the node agent (kubelet): registers the node and runs its pods through the CRI.")
public final class AgentCommand implements Callable<Integer> {
  @Option(names = "--server", defaultValue = "127.0.0.1:6443", split = ",",
      description = "API server address(es) host:port (default: ${DEFAULT-VALUE}).")
  List<String> servers;

  @Option(names = "--node-name", description = "Node name (default: this machine's hostname).")
  String nodeName;

  @Option(names = "--node-ip", description = "The node's InternalIP (default: the address of the default route).")
  String nodeIp;

  @Option(names = "--runtime", defaultValue = "remote",
      description = "remote (a CRI socket) or simulated (hollow nodes) (default: ${DEFAULT-VALUE}).")
  String runtime;

  @Option(names = "--runtime-endpoint", defaultValue = "unix:///var/lib/skiff/containerd/containerd.sock",
      description = "CRI endpoint, as printed by scripts/setup-runtime.sh (default: ${DEFAULT-VALUE}).")
  String runtimeEndpoint;

  @Option(names = "--count", defaultValue = "1",
      description = "With --runtime simulated: how many hollow nodes (hollow-node-0..N-1) (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--listen", defaultValue = "10250",
      description = "Port of the agent's gRPC service (logs, exec) (default: ${DEFAULT-VALUE}).")
  int listenPort;

  @Option(names = "--cpu", description = "CPU capacity to report, e.g. 4 or 3500m (default: the machine's).")
  String cpu;

  @Option(names = "--memory", description = "Memory capacity to report, e.g. 8Gi (default: MemTotal).")
  String memory;

  @Option(names = "--max-pods", defaultValue = "110", description = "Pod capacity (default: ${DEFAULT-VALUE}).")
  int maxPods;

  @Option(names = "--root-dir", defaultValue = "/var/lib/skiff",
      description = "Agent state (pod volumes) (default: ${DEFAULT-VALUE}).")
  Path rootDir;

  @Option(names = "--pod-log-dir", defaultValue = "/var/log/pods",
      description = "Container logs (default: ${DEFAULT-VALUE}).")
  Path podLogDir;

  @Override
  public Integer call() throws Exception {
    if (!runtime.equals("remote") && !runtime.equals("simulated")) {
      System.err.println("skiff agent: --runtime must be remote or simulated, got '" + runtime + "'");
      return 2;
    }
    if (count < 1) {
      System.err.println("skiff agent: --count must be at least 1");
      return 2;
    }
    if (count > 1 && runtime.equals("remote")) {
      System.err.println("skiff agent: --count > 1 needs --runtime simulated (one real agent per machine)");
      return 2;
    }
    SkiffClient client = SkiffClient.connect(servers);
    CountDownLatch stopped = new CountDownLatch(1);
    AutoCloseable running;
    if (runtime.equals("simulated")) {
      HollowNodes nodes = new HollowNodes(client, count,
          nodeName != null ? nodeName + "-" : "hollow-node-", Path.of(System.getProperty("java.io.tmpdir"), "skiff-hollow"),
          Clock.systemUTC());
      nodes.start();
      System.out.println("skiff agent: " + count + " hollow node(s) registered with " + servers);
      running = nodes;
    } else {
      String name = nodeName != null ? nodeName : InetAddress.getLocalHost().getHostName().toLowerCase();
      String ip = nodeIp != null ? nodeIp : defaultIp();
      NodeAgentConfig config = NodeAgentConfig.forHost(name, ip, listenPort)
          .withCapacity(cpu == null ? 0 : Quantity.parse(cpu).milliValue(),
              memory == null ? 0 : Quantity.parse(memory).value(), maxPods)
          .withDirs(rootDir, podLogDir);
      ContainerRuntime cri = RemoteRuntime.connect(runtimeEndpoint, RuntimeTimeouts.defaults());
      NodeAgent agent = new NodeAgent(client, config, cri, Clock.systemUTC());
      agent.start();
      System.out.println("skiff agent: node " + name + " (" + ip + ") on " + runtimeEndpoint
          + ", agent service on port " + agent.port());
      running = () -> {
        agent.close();
        cri.close();
      };
    }
    AutoCloseable toClose = running;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        toClose.close();
        client.close();
      } catch (Exception e) {
        System.err.println("skiff agent: shutdown: " + e.getMessage());
      }
      stopped.countDown();
    }, "agent-shutdown"));
    stopped.await();
    return 0;
  }

  /** The source address of the default route (no packet is sent). */
  static String defaultIp() {
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(InetAddress.getByName("10.255.255.255"), 9);
      String ip = s.getLocalAddress().getHostAddress();
      return ip.equals("0.0.0.0") ? "127.0.0.1" : ip;
    } catch (Exception e) {
      return "127.0.0.1";
    }
  }

  static List<String> split(String s) {
    return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }
}
