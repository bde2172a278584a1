package dev.skiff.cli.server;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.client.SkiffClient;
import dev.skiff.controllers.ControllerManager;
import dev.skiff.controllers.ControllerManagerConfig;
import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.RemoteRuntime;
import dev.skiff.cri.RuntimeTimeouts;
import dev.skiff.nodeagent.NodeAgent;
import dev.skiff.nodeagent.NodeAgentConfig;
import dev.skiff.nodeagent.sim.HollowNodes;
import dev.skiff.scheduler.Scheduler;
import dev.skiff.scheduler.SchedulerConfig;
import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole cluster in one process, wired exactly as separate processes would be, over gRPC:
 * a one-member store (its etcd API also on the network), the API server on an in-process
 * channel and a network listener, and the scheduler, controller manager and this machine's node
 * agent as clients of the in-process channel.
 *
 * <p>{@link #start()} starts the parts in dependency order and registers each for shutdown;
 * {@link #close()} stops them in reverse order (also after a failed start). Used by one thread.
 */
public final class AllInOneCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AllInOneCluster.class);

  private final AllInOneConfig config;
  private final Clock clock;
  private final UnaryOperator<ContainerRuntime> runtimeWrapper;
  private SkiffClient client;
  private final Deque<NamedCloseable> running = new ArrayDeque<>();
  private Server apiListener;
  private StoreNode store;
  private String nodeDescription = "none";

  private record NamedCloseable(String name, AutoCloseable closeable) {}

  public AllInOneCluster(AllInOneConfig config, Clock clock) {
    this(config, clock, UnaryOperator.identity());
  }

  /** A cluster whose node agent reaches containerd through {@code runtimeWrapper} (benchmarks time calls). */
  public AllInOneCluster(AllInOneConfig config, Clock clock, UnaryOperator<ContainerRuntime> runtimeWrapper) {
    this.config = config;
    this.clock = clock;
    this.runtimeWrapper = runtimeWrapper;
  }

  public void start() throws IOException {
    String id = "skiff-" + UUID.randomUUID();
    List<String> storeListeners = config.storeListen().isEmpty() ? List.of() : List.of(config.storeListen());
    StoreConfig storeConfig = StoreConfig.of("default", config.dataDir(), storeListeners,
        Map.of("default", "127.0.0.1:0"));
    store = new StoreNode(storeConfig, clock);
    store.start();
    onClose("store", store);

    InProcessServerBuilder storeServer = InProcessServerBuilder.forName(id + "-store").directExecutor();
    store.clientServices().forEach(storeServer::addService);
    Server storeInProcess = storeServer.build().start();
    onClose("store in-process server", storeInProcess::shutdownNow);
    ManagedChannel storeChannel = InProcessChannelBuilder.forName(id + "-store").directExecutor().build();
    onClose("store channel", storeChannel::shutdownNow);

    ApiServer api = new ApiServer(ApiServerConfig.defaults().withClock(clock), storeChannel);
    api.start();
    onClose("API server", api);
    InProcessServerBuilder apiInProcess = InProcessServerBuilder.forName(id + "-api")
        .executor(Executors.newVirtualThreadPerTaskExecutor());
    NettyServerBuilder apiNetwork = NettyServerBuilder.forAddress(address(config.listen()), InsecureServerCredentials.create())
        .executor(Executors.newVirtualThreadPerTaskExecutor());
    api.services().forEach(s -> {
      apiInProcess.addService(s);
      apiNetwork.addService(s);
    });
    Server apiServerInProcess = apiInProcess.build().start();
    onClose("API in-process server", apiServerInProcess::shutdownNow);
    apiListener = apiNetwork.build().start();
    onClose("API listener", () -> {
      apiListener.shutdown();
      if (!apiListener.awaitTermination(5, TimeUnit.SECONDS)) {
        apiListener.shutdownNow();
      }
    });
    ManagedChannel apiChannel = InProcessChannelBuilder.forName(id + "-api").build();
    onClose("API channel", apiChannel::shutdownNow);
    client = SkiffClient.forChannel(apiChannel);

    // One process, one instance of each: leader election would only delay the start.
    ControllerManager controllers = new ControllerManager(client,
        ControllerManagerConfig.defaults().withLeaderElection(false, "skiff-server",
            java.time.Duration.ofSeconds(15), java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(2)),
        clock);
    controllers.start();
    onClose("controller manager", controllers);
    Scheduler scheduler = new Scheduler(client, SchedulerConfig.defaults().withLeaderElection(false, "skiff-server"), clock);
    scheduler.start();
    onClose("scheduler", scheduler);

    if (config.node() != null) {
      startNode(client, config.node());
    }
  }

  private void startNode(SkiffClient client, AllInOneConfig.NodeSpec node) throws IOException {
    if (node.runtime().equals("simulated")) {
      HollowNodes hollow = new HollowNodes(client, 1, node.name() + "-", node.rootDir().resolve("hollow"), clock);
      hollow.start();
      onClose("simulated node", hollow);
      nodeDescription = node.name() + "-0 (simulated runtime: pods get no real processes)";
      return;
    }
    ContainerRuntime cri = runtimeWrapper.apply(RemoteRuntime.connect(node.runtimeEndpoint(), RuntimeTimeouts.defaults()));
    onClose("CRI connection", cri::close);
    NodeAgentConfig agentConfig = NodeAgentConfig.forHost(node.name(), node.ip(), node.agentPort())
        .withDirs(node.rootDir(), node.podLogDir());
    NodeAgent agent = new NodeAgent(client, agentConfig, cri, clock);
    agent.start();
    onClose("node agent", agent);
    nodeDescription = node.name() + " (" + node.ip() + ", containerd at " + node.runtimeEndpoint() + ")";
  }

  /** A client of the API server over the in-process channel (after {@link #start()}). */
  public SkiffClient client() {
    return client;
  }

  /** The API server's network address with its real port. */
  public String apiAddress() {
    InetSocketAddress a = (InetSocketAddress) apiListener.getListenSockets().getFirst();
    return a.getHostString() + ":" + a.getPort();
  }

  /** Where the store's etcd API answers on the network, or empty. */
  public List<String> storeUrls() {
    return store.clientUrls();
  }

  public String nodeDescription() {
    return nodeDescription;
  }

  private void onClose(String name, AutoCloseable closeable) {
    running.push(new NamedCloseable(name, closeable));
  }

  /** Stops everything started, newest first; a part that fails to stop is logged and skipped. */
  @Override
  public void close() {
    while (!running.isEmpty()) {
      NamedCloseable part = running.pop();
      try {
        part.closeable().close();
        LOG.debug("stopped {}", part.name());
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", part.name(), e.toString());
      }
    }
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected host:port, got \"" + hostPort + "\"");
    }
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }
}
