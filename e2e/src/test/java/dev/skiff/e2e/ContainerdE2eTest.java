package dev.skiff.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.skiff.e2e.E2ePods.busybox;
import static dev.skiff.e2e.E2ePods.cs;
import static dev.skiff.e2e.E2ePods.http;
import static dev.skiff.e2e.E2ePods.pod;
import static dev.skiff.e2e.E2ePods.ready;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.ConfigMapVolumeSource;
import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.DeploymentSpec;
import dev.skiff.api.v1.ExecAction;
import dev.skiff.api.v1.LabelSelector;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodExecRequest;
import dev.skiff.api.v1.PodExecResponse;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.PodLogChunk;
import dev.skiff.api.v1.PodLogRequest;
import dev.skiff.api.v1.PodTemplateSpec;
import dev.skiff.api.v1.PodsGrpc;
import dev.skiff.api.v1.Probe;
import dev.skiff.api.v1.Volume;
import dev.skiff.api.v1.VolumeMount;
import dev.skiff.client.api.Kinds;
import dev.skiff.cri.v1.ContainerFilter;
import dev.skiff.cri.v1.PodSandboxFilter;
import dev.skiff.nodeagent.runtime.RuntimeLabels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End to end on real containerd: Deployment → ReplicaSet → Pods → scheduler → node agent → CRI →
 * runc containers on the CNI bridge. Skipped (with the reason) when scripts/setup-runtime.sh has
 * not set containerd up; CI runs it as root first, so there they run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerdE2eTest {
  private static final Logger log = LoggerFactory.getLogger(ContainerdE2eTest.class);
  private static final String NS = E2eCluster.NAMESPACE;
  private static final Duration START = Duration.ofSeconds(90);

  private E2eCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    assumeTrue(Files.exists(E2eCluster.SOCKET), "containerd's CRI socket " + E2eCluster.SOCKET
        + " is absent: run `sudo scripts/setup-runtime.sh` first (it prints the socket)");
    cluster = new E2eCluster();
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  // ------------------------------------------------------------------ helpers

  private Pod create(Pod p) {
    return cluster.client.resource(Kinds.POD).create(p);
  }

  private Pod get(String name) {
    return cluster.client.resource(Kinds.POD).get(NS, name);
  }

  private Pod awaitPod(String name, Duration atMost, Predicate<Pod> p) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> p.test(get(name)));
    return get(name);
  }

  private void deleteAndAwaitGone(String name) {
    Pod p = get(name);
    cluster.client.resource(Kinds.POD).delete(DeleteRequest.newBuilder().setNamespace(NS).setName(name)
        .setGracePeriodSeconds(1).build());
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.client.resource(Kinds.POD).find(NS, name).isEmpty());
    assertThat(runtimeContainers(p.getMetadata().getUid())).isEmpty();
  }

  private List<dev.skiff.cri.v1.Container> runtimeContainers(String uid) {
    return cluster.runtime.listContainers(ContainerFilter.newBuilder().putLabelSelector(RuntimeLabels.POD_UID, uid).build());
  }

  // ------------------------------------------------------------------ tests

  @Test
  void deploymentOfHttpdPodsServingAConfigMapPageBecomesReady() throws Exception {
    cluster.client.resource(Kinds.CONFIG_MAP).create(ConfigMap.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("web-page").setNamespace(NS))
        .putData("index.html", "hello from skiff\n").build());
    Container httpd = Container.newBuilder().setName("httpd").setImage(E2ePods.IMAGE)
        .addCommand("httpd").addArgs("-f").addArgs("-p").addArgs("80").addArgs("-h").addArgs("/www")
        .addVolumeMounts(VolumeMount.newBuilder().setName("www").setMountPath("/www").setReadOnly(true))
        .setReadinessProbe(Probe.newBuilder().setTcpSocket(
            dev.skiff.api.v1.TCPSocketAction.newBuilder().setPort("80")).setPeriodSeconds(1))
        .build();
    long t0 = System.nanoTime();
    cluster.client.resource(Kinds.DEPLOYMENT).create(Deployment.newBuilder()
        .setApiVersion("apps/v1").setKind("Deployment")
        .setMetadata(ObjectMeta.newBuilder().setName("web").setNamespace(NS))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(3)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "web"))
            .setTemplate(PodTemplateSpec.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().putLabels("app", "web"))
                .setSpec(PodSpec.newBuilder().setTerminationGracePeriodSeconds(1).addContainers(httpd)
                    .addVolumes(Volume.newBuilder().setName("www")
                        .setConfigMap(ConfigMapVolumeSource.newBuilder().setName("web-page"))))))
        .build());
    ListRequest byLabel = ListRequest.newBuilder().setNamespace(NS).setLabelSelector("app=web").build();
    await().atMost(START).pollInterval(Duration.ofMillis(200)).until(() -> {
      var pods = cluster.client.resource(Kinds.POD).list(byLabel).getItemsList();
      return pods.size() == 3 && pods.stream().allMatch(E2ePods::ready);
    });
    log.info("deployment of 3 httpd pods ready after {} ms", (System.nanoTime() - t0) / 1_000_000);
    List<Pod> pods = cluster.client.resource(Kinds.POD).list(byLabel).getItemsList();
    for (Pod p : pods) {
      assertThat(p.getSpec().getNodeName()).isEqualTo(E2eCluster.NODE);
      assertThat(http(p.getStatus().getPodIp())).isEqualTo("hello from skiff\n");
    }
    // The ConfigMap's files as the container sees them.
    PodExecResponse ls = PodsGrpc.newBlockingStub(cluster.client.channel()).exec(PodExecRequest.newBuilder()
        .setNamespace(NS).setName(pods.get(0).getMetadata().getName())
        .addCommand("ls").addCommand("/www").build());
    assertThat(ls.getStdout().toStringUtf8()).contains("index.html");

    cluster.client.resource(Kinds.DEPLOYMENT).delete(NS, "web");
    await().atMost(Duration.ofSeconds(90)).until(() ->
        cluster.client.resource(Kinds.POD).list(byLabel).getItemsCount() == 0);
    for (Pod p : pods) {
      await().atMost(Duration.ofSeconds(30)).until(() -> runtimeContainers(p.getMetadata().getUid()).isEmpty());
    }
  }

  @Test
  void anExitingContainerIsRestartedWithBackOff() {
    create(pod("crasher", busybox("app", "echo boom; sleep 1; exit 2")));
    Pod p = awaitPod("crasher", Duration.ofSeconds(60), x -> cs(x).getRestartCount() >= 1);
    p = awaitPod("crasher", Duration.ofSeconds(30), x -> cs(x).getState().hasWaiting()
        && cs(x).getState().getWaiting().getReason().equals("CrashLoopBackOff"));
    assertThat(cs(p).getLastState().getTerminated().getExitCode()).isEqualTo(2);
    assertThat(cs(p).getLastState().getTerminated().getReason()).isEqualTo("Error");
    awaitPod("crasher", Duration.ofSeconds(40), x -> cs(x).getRestartCount() >= 2);
    deleteAndAwaitGone("crasher");
  }

  @Test
  void aFailingLivenessProbeRestartsTheContainer() {
    Container c = busybox("app", "touch /tmp/alive; sleep 3; rm /tmp/alive; exec sleep 600").toBuilder()
        .setLivenessProbe(Probe.newBuilder().setExec(ExecAction.newBuilder()
            .addCommand("cat").addCommand("/tmp/alive")).setPeriodSeconds(1).setFailureThreshold(2))
        .build();
    create(pod("liveness", c));
    awaitPod("liveness", START, x -> cs(x).getState().hasRunning());
    Pod p = awaitPod("liveness", Duration.ofSeconds(60), x -> cs(x).getRestartCount() >= 1);
    assertThat(cs(p).getLastState().hasTerminated()).isTrue();
    deleteAndAwaitGone("liveness");
  }

  @Test
  void aFailingReadinessProbeKeepsThePodOutOfReady() throws Exception {
    Container c = busybox("app", "exec sleep 600").toBuilder()
        .setReadinessProbe(Probe.newBuilder().setExec(ExecAction.newBuilder().addCommand("false"))
            .setPeriodSeconds(1))
        .build();
    create(pod("unready", c));
    awaitPod("unready", START, x -> "Running".equals(x.getStatus().getPhase()));
    Thread.sleep(4000); // several probe periods: it must stay not ready
    Pod p = get("unready");
    assertThat(ready(p)).isFalse();
    assertThat(cs(p).getReady()).isFalse();
    assertThat(cs(p).getRestartCount()).isZero();
    deleteAndAwaitGone("unready");
  }

  @Test
  void logsAndExecGoThroughTheApiServer() {
    create(pod("talker", busybox("app", "echo line-one; echo line-two; exec sleep 600")));
    awaitPod("talker", START, x -> cs(x).getState().hasRunning());
    var pods = PodsGrpc.newBlockingStub(cluster.client.channel()).withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      StringBuilder sb = new StringBuilder();
      pods.getLogs(PodLogRequest.newBuilder().setNamespace(NS).setName("talker").build())
          .forEachRemaining((PodLogChunk c) -> sb.append(c.getData().toStringUtf8()));
      return sb.toString().equals("line-one\nline-two\n");
    });
    StringBuilder tail = new StringBuilder();
    pods.getLogs(PodLogRequest.newBuilder().setNamespace(NS).setName("talker").setTailLines(1).build())
        .forEachRemaining(c -> tail.append(c.getData().toStringUtf8()));
    assertThat(tail.toString()).isEqualTo("line-two\n");
    PodExecResponse r = pods.exec(PodExecRequest.newBuilder().setNamespace(NS).setName("talker")
        .addCommand("sh").addCommand("-c").addCommand("echo out; echo err >&2; hostname; exit 3").build());
    assertThat(r.getStdout().toStringUtf8()).isEqualTo("out\ntalker\n");
    assertThat(r.getStderr().toStringUtf8()).isEqualTo("err\n");
    assertThat(r.getExitCode()).isEqualTo(3);
    deleteAndAwaitGone("talker");
  }

  @Test
  void deletingAPodStopsAndRemovesItsContainersAndSandbox() {
    Pod created = create(pod("doomed", busybox("app", "exec sleep 600")));
    awaitPod("doomed", START, x -> cs(x).getState().hasRunning());
    String uid = created.getMetadata().getUid();
    assertThat(runtimeContainers(uid)).hasSize(1);
    deleteAndAwaitGone("doomed");
    assertThat(cluster.runtime.listPodSandbox(PodSandboxFilter.newBuilder()
        .putLabelSelector(RuntimeLabels.POD_UID, uid).build())).isEmpty();
  }

  /** Runs scripts/setup-runtime.sh with {@code command}; true when it exited 0 within 2 minutes. */
  private static boolean setupRuntime(Path script, String command) throws Exception {
    Process p = new ProcessBuilder(script.toString(), command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES) && p.exitValue() == 0;
  }

  @Test
  void aContainerdRestartUnderTheAgentIsSurvived() throws Exception {
    Path script = Path.of("..", "scripts", "setup-runtime.sh").toAbsolutePath().normalize();
    assumeTrue(Files.isExecutable(script) && "root".equals(System.getProperty("user.name")),
        "restarting containerd needs root and " + script);
    Pod created = create(pod("steady", busybox("web",
        "mkdir -p /www && echo up > /www/index.html && exec httpd -f -p 80 -h /www")));
    Pod before = awaitPod("steady", START, x -> cs(x).getState().hasRunning() && !x.getStatus().getPodIp().isEmpty());
    String ip = before.getStatus().getPodIp();
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> http(ip).equals("up\n"));
    List<String> ids = runtimeContainers(created.getMetadata().getUid()).stream()
        .map(dev.skiff.cri.v1.Container::getId).toList();

    try {
      assertThat(setupRuntime(script, "stop")).as("setup-runtime.sh stop").isTrue();
    } finally {
      assertThat(setupRuntime(script, "setup")).as("setup-runtime.sh setup").isTrue();
    }

    // The pod kept running through the restart, unchanged, and still serves.
    assertThat(http(ip)).isEqualTo("up\n");
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
        runtimeContainers(created.getMetadata().getUid()).stream().map(dev.skiff.cri.v1.Container::getId).toList()
            .equals(ids));
    // The agent works through the new containerd: a new pod starts, the old one is not restarted.
    create(pod("after-restart", busybox("app", "exec sleep 600")));
    awaitPod("after-restart", Duration.ofSeconds(60), x -> cs(x).getState().hasRunning());
    Pod p = get("steady");
    assertThat(cs(p).getRestartCount()).isZero();
    assertThat(cs(p).getContainerId()).isEqualTo(cs(before).getContainerId());
    deleteAndAwaitGone("after-restart");
    deleteAndAwaitGone("steady");
  }
}
