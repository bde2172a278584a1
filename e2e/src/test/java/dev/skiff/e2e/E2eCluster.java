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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The whole path in one JVM on the real containerd of scripts/setup-runtime.sh: a Raft store and
 * the API server (in-process gRPC), the scheduler, the controller manager, and a node agent on
 * containerd's CRI socket serving its NodeAgent service on a TCP port (the API server dials it for
 * logs and exec, as in a real cluster).
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
  private final Scheduler scheduler;
  private final ControllerManager controllers;
  NodeAgent agent;

  E2eCluster() throws Exception {
    control = InProcessCluster.start();
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
    agent = newAgent();
    agent.start();
  }

  NodeAgent newAgent() {
    NodeAgentConfig config = NodeAgentConfig.forHost(NODE, "127.0.0.1", 0)
        .withDirs(dir.resolve("root"), dir.resolve("pods-logs"));
    return new NodeAgent(client, config, runtime, Clock.systemUTC());
  }

  /** Removes every sandbox this node left (the tests delete their pods; this is the safety net). */
  void removeLeftovers() {
    for (var s : runtime.listPodSandbox(PodSandboxFilter.newBuilder()
        .putLabelSelector(RuntimeLabels.NODE, NODE).build())) {
      runtime.stopPodSandbox(s.getId());
      runtime.removePodSandbox(s.getId());
    }
  }

  @Override
  public void close() throws Exception {
    try {
      agent.close();
      controllers.close();
      scheduler.close();
      removeLeftovers();
    } finally {
      runtime.close();
      control.close();
      dev.skiff.nodeagent.volume.AtomicWriter.deleteTree(dir);
    }
  }
}
