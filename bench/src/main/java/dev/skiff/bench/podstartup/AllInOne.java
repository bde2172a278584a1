package dev.skiff.bench.podstartup;

import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.controllers.ControllerManager;
import dev.skiff.controllers.ControllerManagerConfig;
import dev.skiff.cri.RemoteRuntime;
import dev.skiff.cri.RuntimeTimeouts;
import dev.skiff.nodeagent.NodeAgent;
import dev.skiff.nodeagent.NodeAgentConfig;
import dev.skiff.scheduler.Scheduler;
import dev.skiff.scheduler.SchedulerConfig;
import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Every component of a one-machine cluster in this JVM, as {@code skiff server} wires them: a
 * 1-member Raft store and the API server behind in-process gRPC servers, the scheduler, the
 * controller manager, and a node agent on containerd's CRI socket.
 */
final class AllInOne implements AutoCloseable {
  static final String NODE = "bench-node";

  final SkiffClient client;
  final RemoteRuntime runtime;
  /** The runtime as the agent sees it: every call forwarded, startup phases timed per pod. */
  final TimedRuntime timed;
  private final StoreNode store;
  private final Server storeServer;
  private final ManagedChannel storeChannel;
  private final ApiServer apiServer;
  private final Server apiServerServer;
  private final ManagedChannel apiChannel;
  private final Scheduler scheduler;
  private final ControllerManager controllers;
  private final NodeAgent agent;

  AllInOne(Path dataDir, String criEndpoint) throws Exception {
    StoreConfig sc = StoreConfig.of("default", dataDir.resolve("store"), List.of(), Map.of("default", "127.0.0.1:0"))
        .withElectionTimeouts(Duration.ofMillis(150), Duration.ofMillis(300));
    store = new StoreNode(sc);
    store.start();
    InProcessServerBuilder sb = InProcessServerBuilder.forName("bench-store").directExecutor();
    store.clientServices().forEach(sb::addService);
    storeServer = sb.build().start();
    storeChannel = InProcessChannelBuilder.forName("bench-store").directExecutor().build();
    apiServer = new ApiServer(ApiServerConfig.defaults(), storeChannel);
    apiServer.start();
    InProcessServerBuilder ab = InProcessServerBuilder.forName("bench-api")
        .executor(Executors.newVirtualThreadPerTaskExecutor());
    apiServer.services().forEach(ab::addService);
    apiServerServer = ab.build().start();
    apiChannel = InProcessChannelBuilder.forName("bench-api").build();
    client = SkiffClient.forChannel(apiChannel);
    for (String ns : List.of("default", "kube-system")) {
      try {
        client.resource(Kinds.NAMESPACE).create(Namespace.newBuilder()
            .setMetadata(ObjectMeta.newBuilder().setName(ns)).build());
      } catch (RuntimeException e) {
        // exists
      }
    }
    runtime = RemoteRuntime.connect(criEndpoint, RuntimeTimeouts.defaults());
    timed = new TimedRuntime(runtime);
    scheduler = new Scheduler(client, SchedulerConfig.defaults(), Clock.systemUTC());
    controllers = new ControllerManager(client, ControllerManagerConfig.defaults(), Clock.systemUTC());
    agent = new NodeAgent(client, NodeAgentConfig.forHost(NODE, "127.0.0.1", 0)
        .withDirs(dataDir.resolve("agent"), dataDir.resolve("pod-logs")), timed, Clock.systemUTC());
    scheduler.start();
    controllers.start();
    agent.start();
  }

  @Override
  public void close() {
    agent.close();
    controllers.close();
    scheduler.close();
    runtime.close();
    apiChannel.shutdownNow();
    apiServerServer.shutdownNow();
    apiServer.close();
    storeChannel.shutdownNow();
    storeServer.shutdownNow();
    store.close();
  }
}
