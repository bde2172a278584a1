package dev.skiff.e2e;

import static dev.skiff.e2e.E2ePods.busybox;
import static dev.skiff.e2e.E2ePods.cs;
import static dev.skiff.e2e.E2ePods.http;
import static dev.skiff.e2e.E2ePods.pod;
import static dev.skiff.e2e.E2ePods.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import dev.skiff.api.v1.PodExecRequest;
import dev.skiff.api.v1.PodsGrpc;
import dev.skiff.api.v1.Probe;
import dev.skiff.api.v1.TCPSocketAction;
import dev.skiff.client.api.Kinds;
import dev.skiff.cri.v1.ContainerFilter;
import dev.skiff.cri.v1.ContainerState;
import dev.skiff.cri.v1.PodSandbox;
import dev.skiff.cri.v1.PodSandboxFilter;
import dev.skiff.cri.v1.PodSandboxState;
import dev.skiff.nodeagent.runtime.RuntimeLabels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The node agent as its own OS process ({@code skiff agent}, as a user starts it) on real
 * containerd, reaching the API server over TCP: killed with SIGKILL and started again, the new
 * process adopts the pod's running sandbox and containers instead of recreating them. The
 * agents' output is in {@code target/agent-process.log}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentProcessE2eTest {
  private static final String NODE = "e2e-agent-process";
  private static final String NS = E2eCluster.NAMESPACE;
  private static final Path LOG = Path.of("target", "agent-process.log").toAbsolutePath();
  /** A JVM start, node registration and a pod start on a loaded 2-core machine. */
  private static final Duration START = Duration.ofSeconds(90);

  private E2eCluster cluster;
  private AgentProcess agent;

  @BeforeAll
  void startCluster() throws Exception {
    assumeTrue(Files.exists(E2eCluster.SOCKET), "containerd's CRI socket " + E2eCluster.SOCKET
        + " is absent: run `sudo scripts/setup-runtime.sh` first (it prints the socket)");
    String missing = AgentProcess.missingCli();
    assertThat(missing).as("the skiff CLI").isNull();
    cluster = new E2eCluster(false);
  }

  /** Kills the agent even when the test failed, then removes what it left in containerd. */
  @AfterEach
  void stopAgent() throws Exception {
    if (agent != null) {
      agent.close();
      agent = null;
    }
    if (cluster != null) {
      cluster.removeLeftovers(NODE);
    }
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private AgentProcess startAgent() throws Exception {
    return AgentProcess.start(NODE, cluster.apiAddress(), E2eCluster.SOCKET, cluster.dir.resolve(NODE), LOG);
  }

  private Pod get(String name) {
    return cluster.client.resource(Kinds.POD).get(NS, name);
  }

  private Pod awaitPod(String name, Duration atMost, Predicate<Pod> p) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> p.test(get(name)));
    return get(name);
  }

  private List<dev.skiff.cri.v1.Container> containers(String uid) {
    return cluster.runtime.listContainers(ContainerFilter.newBuilder()
        .putLabelSelector(RuntimeLabels.POD_UID, uid).build());
  }

  private List<PodSandbox> sandboxes(String uid) {
    return cluster.runtime.listPodSandbox(PodSandboxFilter.newBuilder()
        .putLabelSelector(RuntimeLabels.POD_UID, uid).build());
  }

  private static List<String> ids(List<dev.skiff.cri.v1.Container> cs) {
    return cs.stream().map(dev.skiff.cri.v1.Container::getId).toList();
  }

  /** What the node lifecycle controller does to the pods of a node that went silent. */
  private void markNotReady(Pod p) {
    var status = p.getStatus().toBuilder().clearConditions();
    for (PodCondition c : p.getStatus().getConditionsList()) {
      status.addConditions(c.getType().equals("Ready")
          ? c.toBuilder().setStatus("False").setReason("NodeNotReady").build() : c);
    }
    cluster.client.resource(Kinds.POD).updateStatus(p.toBuilder().setStatus(status).build());
  }

  @Test
  void anAgentKilledWithSigkillAndStartedAgainAdoptsTheRunningPod() throws Exception {
    agent = startAgent();
    Container httpd = busybox("web", "mkdir -p /www && echo up > /www/index.html && exec httpd -f -p 80 -h /www")
        .toBuilder().setReadinessProbe(Probe.newBuilder()
            .setTcpSocket(TCPSocketAction.newBuilder().setPort("80")).setPeriodSeconds(1))
        .build();
    Pod created = cluster.client.resource(Kinds.POD).create(pod("adopted", httpd));
    String uid = created.getMetadata().getUid();
    Pod before = awaitPod("adopted", START, p -> ready(p) && !p.getStatus().getPodIp().isEmpty());
    assertThat(before.getSpec().getNodeName()).isEqualTo(NODE);
    String ip = before.getStatus().getPodIp();
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> http(ip).equals("up\n"));
    List<String> containerIds = ids(containers(uid));
    List<PodSandbox> sandboxesBefore = sandboxes(uid);
    assertThat(containerIds).hasSize(1);
    assertThat(sandboxesBefore).hasSize(1);

    long firstPid = agent.pid();
    assertThat(agent.kill()).as("exit value of a process killed by SIGKILL").isEqualTo(AgentProcess.KILLED);
    assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).isEmpty();
    // Nobody manages the pod now; it keeps serving. The node lifecycle controller would mark it not
    // ready after the grace period: do it now, so that the new agent must write the truth back.
    assertThat(http(ip)).isEqualTo("up\n");
    markNotReady(get("adopted"));
    assertThat(ready(get("adopted"))).isFalse();

    agent = startAgent();
    Pod after = awaitPod("adopted", START, p -> ready(p));
    assertThat(after.getStatus().getPhase()).isEqualTo("Running");
    assertThat(cs(after).getRestartCount()).isZero();
    assertThat(cs(after).getContainerId()).isEqualTo(cs(before).getContainerId());
    assertThat(cs(after).getState().getRunning().getStartedAt())
        .isEqualTo(cs(before).getState().getRunning().getStartedAt());
    assertThat(after.getStatus().getPodIp()).isEqualTo(ip);
    var containersAfter = containers(uid);
    assertThat(ids(containersAfter)).isEqualTo(containerIds);
    assertThat(containersAfter).allMatch(c -> c.getState() == ContainerState.CONTAINER_RUNNING);
    List<PodSandbox> sandboxesAfter = sandboxes(uid);
    assertThat(sandboxesAfter).isEqualTo(sandboxesBefore);
    assertThat(sandboxesAfter).allMatch(s -> s.getState() == PodSandboxState.SANDBOX_READY);
    assertThat(http(ip)).isEqualTo("up\n");

    // The new agent serves the node: exec reaches it through the API server, and deleting the pod
    // removes the adopted containers and sandbox.
    var pods = PodsGrpc.newBlockingStub(cluster.client.channel());
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> pods
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .exec(PodExecRequest.newBuilder().setNamespace(NS).setName("adopted")
            .addCommand("cat").addCommand("/www/index.html").build())
        .getStdout().toStringUtf8().equals("up\n"));
    cluster.client.resource(Kinds.POD).delete(DeleteRequest.newBuilder().setNamespace(NS).setName("adopted")
        .setGracePeriodSeconds(1).build());
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.client.resource(Kinds.POD).find(NS, "adopted").isEmpty());
    assertThat(containers(uid)).isEmpty();
    assertThat(sandboxes(uid)).isEmpty();
    assertThat(agent.isAlive()).isTrue();
  }
}
