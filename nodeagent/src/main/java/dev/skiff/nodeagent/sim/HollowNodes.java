package dev.skiff.nodeagent.sim;

import dev.skiff.client.SkiffClient;
import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.RuntimeTimeouts;
import dev.skiff.cri.sim.SimulatedCriConfig;
import dev.skiff.cri.sim.SimulatedCriServer;
import dev.skiff.nodeagent.NodeAgent;
import dev.skiff.nodeagent.NodeAgentConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hollow nodes (kubemark's): N real {@link NodeAgent}s in one process, each over its own
 * simulated CRI server (containers without processes, no log files), with relaxed loop periods.
 * Names {@code <prefix>0 .. <prefix>N-1}; node {@code i} has pod range {@code 10.(64+i/256).(i%256).0/24}
 * and InternalIP {@code 10.254.x.y}. Idle cost: a few parked virtual threads and one informer per
 * node; no thread per pod.
 *
 * <p>The constructor starts nothing; {@link #start()} starts the nodes; {@link #close()} stops them.
 */
public final class HollowNodes implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HollowNodes.class);

  private final SkiffClient client;
  private final int count;
  private final String prefix;
  private final Path stateDir;
  private final Clock clock;
  private final List<SimulatedCriServer> servers = new ArrayList<>();
  private final List<ContainerRuntime> runtimes = new ArrayList<>();
  private final List<NodeAgent> agents = new ArrayList<>();

  public HollowNodes(SkiffClient client, int count, String prefix, Path stateDir, Clock clock) {
    if (count < 1 || count > 60_000) {
      throw new IllegalArgumentException("hollow node count must be 1..60000, got " + count);
    }
    this.client = client;
    this.count = count;
    this.prefix = prefix;
    this.stateDir = stateDir;
    this.clock = clock;
  }

  static String podCidr(int i) {
    return "10." + (64 + i / 256) + "." + (i % 256) + ".0/24";
  }

  static String nodeIp(int i) {
    return "10.254." + (i / 250) + "." + (i % 250 + 1);
  }

  /** The configuration of hollow node {@code i}. */
  NodeAgentConfig config(int i) {
    String name = prefix + i;
    return new NodeAgentConfig(name, nodeIp(i), name, -1, 10250, 4000, 16L << 30, 110,
        stateDir.resolve(name), stateDir.resolve(name).resolve("logs"), false, List.of(), List.of(),
        Map.of("skiff.dev/hollow", "true"), NodeAgentConfig.Periods.hollow());
  }

  public synchronized void start() {
    for (int i = 0; i < count; i++) {
      SimulatedCriServer sim = new SimulatedCriServer(SimulatedCriConfig.defaults()
          .withPodCidr(podCidr(i)).withNodeIp(nodeIp(i)).withWriteLogs(false).withClock(clock)).start();
      servers.add(sim);
      ContainerRuntime runtime = sim.newClient(RuntimeTimeouts.defaults());
      runtimes.add(runtime);
      NodeAgent agent = new NodeAgent(client, config(i), runtime, clock);
      agents.add(agent);
      agent.start();
    }
    log.info("hollow nodes: {} started ({}0 .. {}{})", count, prefix, prefix, count - 1);
  }

  public synchronized List<NodeAgent> agents() {
    return List.copyOf(agents);
  }

  @Override
  public synchronized void close() {
    agents.forEach(NodeAgent::close);
    runtimes.forEach(ContainerRuntime::close);
    servers.forEach(SimulatedCriServer::close);
    agents.clear();
    runtimes.clear();
    servers.clear();
  }
}
