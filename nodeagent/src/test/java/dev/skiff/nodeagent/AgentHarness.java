package dev.skiff.nodeagent;

import static org.awaitility.Awaitility.await;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.time.ManualClock;
import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.RuntimeTimeouts;
import dev.skiff.cri.sim.SimulatedCriConfig;
import dev.skiff.cri.sim.SimulatedCriServer;
import dev.skiff.cri.sim.SimulatedRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * A node agent on a simulated runtime against an in-process API server, stepped by the test: a
 * manual clock drives containers, probes and back-off; pod syncs run on the test thread when it
 * calls {@link #settle()}.
 */
final class AgentHarness implements AutoCloseable {
  static final String NODE = "node-1";
  final ManualClock clock = new ManualClock(Instant.parse("2026-11-22T00:00:00Z"));
  final InProcessCluster cluster;
  final SkiffClient client;
  final SimulatedCriServer sim;
  final ContainerRuntime runtime;
  final NodeAgent agent;
  final Path dir;
  private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();

  AgentHarness() throws Exception {
    cluster = InProcessCluster.start();
    client = cluster.client();
    dir = Files.createTempDirectory("skiff-agent-test");
    sim = new SimulatedCriServer(SimulatedCriConfig.defaults().withClock(clock)).start();
    runtime = sim.newClient(RuntimeTimeouts.defaults());
    NodeAgentConfig config = NodeAgentConfig.forHost(NODE, "192.168.7.10", -1)
        .withInProcessServer(10250)
        .withReadHostStats(false)
        .withCapacity(4000, 8L << 30, 110)
        .withDirs(dir.resolve("root"), dir.resolve("logs"));
    agent = new NodeAgent(client, config, runtime, clock, tasks::add);
    try {
      client.resource(Kinds.NAMESPACE).create(Namespace.newBuilder()
          .setMetadata(ObjectMeta.newBuilder().setName("default")).build());
    } catch (RuntimeException e) {
      // already there
    }
    agent.startSteppable();
  }

  SimulatedRuntime simRuntime() {
    return sim.runtime();
  }

  /** Runs relists, due timers and syncs until nothing is left to do now. */
  void settle() {
    for (int round = 0; round < 50; round++) {
      agent.relistOnce();
      agent.workers().fireDue();
      int ran = 0;
      Runnable r;
      while ((r = tasks.poll()) != null) {
        r.run();
        ran++;
      }
      if (ran == 0) {
        return;
      }
    }
  }

  /** Advances the clock in steps of at most one second, settling after each. */
  void advance(Duration d) {
    Duration left = d;
    while (!left.isZero() && !left.isNegative()) {
      Duration step = left.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : left;
      clock.advance(step);
      left = left.minus(step);
      settle();
    }
  }

  Pod create(Pod pod) {
    Pod created = client.resource(Kinds.POD).create(pod);
    String uid = created.getMetadata().getUid();
    await().atMost(Duration.ofSeconds(10)).until(() -> agent.podByUid(uid).isPresent());
    settle();
    return created;
  }

  /** Waits until the informer has the pod in a state matching {@code p} (its own writes echo back). */
  Pod awaitPod(String name, Predicate<Pod> p) {
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      settle();
      return agent.podByName("default", name).filter(p).isPresent();
    });
    return agent.podByName("default", name).orElseThrow();
  }

  Pod apiPod(String name) {
    return client.resource(Kinds.POD).get("default", name);
  }

  static Pod pod(String name, Container... containers) {
    return Pod.newBuilder().setApiVersion("v1").setKind("Pod")
        .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace("default"))
        .setSpec(PodSpec.newBuilder().setNodeName(NODE).setTerminationGracePeriodSeconds(5)
            .addAllContainers(List.of(containers)))
        .build();
  }

  static Container container(String name) {
    return Container.newBuilder().setName(name).setImage("localhost:5000/busybox:1.35")
        .setImagePullPolicy("IfNotPresent").build();
  }

  @Override
  public void close() throws Exception {
    agent.close();
    runtime.close();
    sim.close();
    cluster.close();
    dev.skiff.nodeagent.volume.AtomicWriter.deleteTree(dir);
  }
}
