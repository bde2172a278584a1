package dev.skiff.e2e;

import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.controllers.ControllerManager;
import dev.skiff.controllers.ControllerManagerConfig;
import dev.skiff.cri.RemoteRuntime;
import dev.skiff.cri.RuntimeTimeouts;
import dev.skiff.cri.v1.PodSandboxFilter;
import dev.skiff.nodeagent.NodeAgent;
import dev.skiff.nodeagent.NodeAgentConfig;
import dev.skiff.nodeagent.runtime.RuntimeLabels;
import dev.skiff.scheduler.Scheduler;
import dev.skiff.scheduler.SchedulerConfig;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The whole path in one JVM on the real containerd of scripts/setup-runtime.sh: a Raft store and
 * the API server (in-process gRPC), the scheduler, the controller manager, and a node agent on
 * containerd's CRI socket serving its NodeAgent service on a TCP port (the API server dials it for
 * logs and exec, as in a real cluster). The API server also listens on a loopback TCP port
 * ({@link #apiAddress()}) for components run as their own processes.
 */
final class E2eCluster implements AutoCloseable {
  static final Path SOCKET = Path.of(System.getenv().getOrDefault("SKIFF_CRI_SOCKET",
      "/var/lib/skiff/containerd/containerd.sock"));
  static final String NODE = "e2e-node";
  static final String NAMESPACE = "e2e";

  final InProcessCluster control;
  final SkiffClient client;
  final RemoteRuntime runtime;
  final Path dir;
  private final Server apiListener;
  private final Scheduler scheduler;
  private final ControllerManager controllers;
  /** The in-JVM agent of node {@link #NODE}, or null. */
  NodeAgent agent;

  /** A cluster with an in-JVM agent of node {@link #NODE}. */
  E2eCluster() throws Exception {
    this(true);
  }

  /** With {@code inJvmAgent} false the cluster has no node: the test runs its own agents. */
  E2eCluster(boolean inJvmAgent) throws Exception {
    control = InProcessCluster.start();
    NettyServerBuilder tcp = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
        InsecureServerCredentials.create()).executor(Executors.newVirtualThreadPerTaskExecutor());
    control.apiServer().services().forEach(tcp::addService);
    apiListener = tcp.build().start();
    client = control.client();
    for (String ns : new String[] {"default", "kube-system", NAMESPACE}) {
      try {
        client.resource(Kinds.NAMESPACE).create(Namespace.newBuilder()
            .setMetadata(ObjectMeta.newBuilder().setName(ns)).build());
      } catch (RuntimeException e) {
        // exists
      }
    }
    runtime = RemoteRuntime.connect("unix://" + SOCKET, RuntimeTimeouts.defaults());
    dir = Files.createTempDirectory("skiff-e2e");
    scheduler = new Scheduler(client, SchedulerConfig.defaults(), Clock.systemUTC());
    controllers = new ControllerManager(client, ControllerManagerConfig.defaults(), Clock.systemUTC());
    scheduler.start();
    controllers.start();
    if (inJvmAgent) {
      agent = newAgent();
      agent.start();
    }
  }

  /** The API server's TCP address, host:port. */
  String apiAddress() {
    return "127.0.0.1:" + apiListener.getPort();
  }

  NodeAgent newAgent() {
    NodeAgentConfig config = NodeAgentConfig.forHost(NODE, "127.0.0.1", 0)
        .withDirs(dir.resolve("root"), dir.resolve("pods-logs"));
    return new NodeAgent(client, config, runtime, Clock.systemUTC());
  }

  /** Removes every sandbox the node left (the tests delete their pods; this is the safety net). */
  void removeLeftovers(String node) {
    for (var s : runtime.listPodSandbox(PodSandboxFilter.newBuilder()
        .putLabelSelector(RuntimeLabels.NODE, node).build())) {
      runtime.stopPodSandbox(s.getId());
      runtime.removePodSandbox(s.getId());
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (agent != null) {
        agent.close();
      }
      controllers.close();
      scheduler.close();
      removeLeftovers(NODE);
    } finally {
      apiListener.shutdownNow();
      apiListener.awaitTermination(5, TimeUnit.SECONDS);
      runtime.close();
      control.close();
      dev.skiff.nodeagent.volume.AtomicWriter.deleteTree(dir);
    }
  }
}
