package dev.skiff.nodeagent;

import static dev.skiff.nodeagent.AgentHarness.container;
import static dev.skiff.nodeagent.AgentHarness.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.ConfigMapVolumeSource;
import dev.skiff.api.v1.ContainerStatus;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.EnvVar;
import dev.skiff.api.v1.EnvVarSource;
import dev.skiff.api.v1.ExecAction;
import dev.skiff.api.v1.ObjectFieldSelector;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import dev.skiff.api.v1.Probe;
import dev.skiff.api.v1.Volume;
import dev.skiff.api.v1.VolumeMount;
import dev.skiff.client.api.Kinds;
import dev.skiff.cri.sim.ContainerBehavior;
import dev.skiff.cri.sim.ContainerMatch;
import dev.skiff.cri.v1.ContainerState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pod workers on the simulated runtime, stepped with a manual clock. */
class PodWorkerTest {
  private AgentHarness h;

  @BeforeEach
  void setUp() throws Exception {
    h = new AgentHarness();
  }

  @AfterEach
  void tearDown() throws Exception {
    h.close();
  }

  private static boolean condition(Pod p, String type, String status) {
    return p.getStatus().getConditionsList().stream()
        .anyMatch(c -> c.getType().equals(type) && c.getStatus().equals(status));
  }

  private static ContainerStatus cs(Pod p, String name) {
    return p.getStatus().getContainerStatusesList().stream()
        .filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void runsAPodAndReportsItRunningAndReady() {
    Pod created = h.create(pod("web", container("web").toBuilder()
        .addEnv(EnvVar.newBuilder().setName("POD").setValueFrom(EnvVarSource.newBuilder()
            .setFieldRef(ObjectFieldSelector.newBuilder().setFieldPath("metadata.name"))))
        .addEnv(EnvVar.newBuilder().setName("GREETING").setValue("hi $(POD)")).build()));

    Pod p = h.awaitPod("web", x -> "Running".equals(x.getStatus().getPhase()) && condition(x, "Ready", "True"));

    assertThat(p.getStatus().getPodIp()).startsWith("10.88.");
    assertThat(p.getStatus().getHostIp()).isEqualTo("192.168.7.10");
    assertThat(condition(p, "Initialized", "True")).isTrue();
    assertThat(condition(p, "ContainersReady", "True")).isTrue();
    ContainerStatus web = cs(p, "web");
    assertThat(web.getState().hasRunning()).isTrue();
    assertThat(web.getReady()).isTrue();
    assertThat(web.getContainerId()).startsWith("containerd://");
    assertThat(web.getRestartCount()).isZero();
    var containers = h.runtime.listContainers();
    assertThat(containers).hasSize(1);
    assertThat(containers.get(0).getLabelsMap())
        .containsEntry("io.kubernetes.pod.uid", created.getMetadata().getUid())
        .containsEntry("io.kubernetes.pod.name", "web");
    assertThat(containers.get(0).getAnnotationsMap()).containsEntry("io.kubernetes.container.restartCount", "0");

    // Nothing changed: another sync writes nothing.
    long writes = h.agent.statusWrites();
    h.advance(Duration.ofSeconds(12));
    assertThat(h.agent.statusWrites()).isEqualTo(writes);
  }

  @Test
  void startingAPodCostsOneSyncNeitherTheRelistNorTheStatusEchoTriggerAnother() {
    h.create(pod("quick", container("quick")));
    h.awaitPod("quick", x -> "Running".equals(x.getStatus().getPhase()));
    h.settle();

    assertThat(h.agent.syncs()).isEqualTo(1);
    assertThat(h.agent.statusWrites()).isEqualTo(1);
  }

  @Test
  void restartsAnExitingContainerWithCrashLoopBackOff() {
    h.simRuntime().addRule(ContainerMatch.containerName("crash"), ContainerBehavior.exitAfter(Duration.ofSeconds(1), 3));
    h.create(pod("crashy", container("crash")));

    h.advance(Duration.ofSeconds(1)); // exits, restarted at once (restart 1)
    Pod p = h.awaitPod("crashy", x -> cs(x, "crash").getRestartCount() == 1);
    h.advance(Duration.ofSeconds(1)); // exits again: back-off 10 s
    p = h.awaitPod("crashy", x -> cs(x, "crash").getState().hasWaiting());
    ContainerStatus s = cs(p, "crash");
    assertThat(s.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
    assertThat(s.getLastState().getTerminated().getExitCode()).isEqualTo(3);
    assertThat(s.getLastState().getTerminated().getReason()).isEqualTo("Error");
    assertThat(s.getRestartCount()).isEqualTo(1);

    h.advance(Duration.ofSeconds(5));
    assertThat(cs(h.awaitPod("crashy", x -> true), "crash").getRestartCount()).isEqualTo(1);
    h.advance(Duration.ofSeconds(5));
    p = h.awaitPod("crashy", x -> cs(x, "crash").getRestartCount() == 2);
    assertThat(cs(p, "crash").getState().hasRunning()).isTrue();
    // The next back-off is 20 s.
    h.advance(Duration.ofSeconds(1));
    h.advance(Duration.ofSeconds(15));
    assertThat(cs(h.awaitPod("crashy", x -> true), "crash").getRestartCount()).isEqualTo(2);
    h.advance(Duration.ofSeconds(6));
    h.awaitPod("crashy", x -> cs(x, "crash").getRestartCount() == 3);
    // Garbage collection keeps the newest instance and the newest exited one before it.
    assertThat(h.runtime.listContainers()).hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void neverRestartPolicyEndsInFailedOrSucceeded() {
    h.simRuntime().addRule(ContainerMatch.containerName("job"), ContainerBehavior.exitAfter(Duration.ofSeconds(2), 0));
    h.create(pod("job", container("job")).toBuilder()
        .setSpec(pod("job", container("job")).getSpec().toBuilder().setRestartPolicy("Never")).build());
    h.advance(Duration.ofSeconds(3));
    Pod p = h.awaitPod("job", x -> "Succeeded".equals(x.getStatus().getPhase()));
    assertThat(cs(p, "job").getState().getTerminated().getReason()).isEqualTo("Completed");
    assertThat(condition(p, "Ready", "False")).isTrue();
    h.advance(Duration.ofSeconds(2));
    assertThat(h.runtime.listContainers()).hasSize(1); // kept for logs, not restarted
  }

  @Test
  void failingLivenessProbeRestartsTheContainer() {
    Probe liveness = Probe.newBuilder().setExec(ExecAction.newBuilder().addCommand("false"))
        .setPeriodSeconds(2).setFailureThreshold(2).setInitialDelaySeconds(1).build();
    h.create(pod("live", container("app").toBuilder().setLivenessProbe(liveness).build()));
    h.awaitPod("live", x -> cs(x, "app").getState().hasRunning());

    h.advance(Duration.ofSeconds(4)); // probes at 1 s and 3 s fail: killed, restarted
    Pod p = h.awaitPod("live", x -> cs(x, "app").getRestartCount() == 1);
    assertThat(cs(p, "app").getLastState().hasTerminated()).isTrue();
  }

  @Test
  void failingReadinessProbeKeepsThePodNotReady() {
    Probe readiness = Probe.newBuilder().setExec(ExecAction.newBuilder().addCommand("false"))
        .setPeriodSeconds(1).build();
    Probe goodReadiness = Probe.newBuilder().setExec(ExecAction.newBuilder().addCommand("true"))
        .setPeriodSeconds(1).build();
    h.create(pod("notready", container("app").toBuilder().setReadinessProbe(readiness).build()));
    h.create(pod("ready", container("app").toBuilder().setReadinessProbe(goodReadiness).build()));
    h.advance(Duration.ofSeconds(5));

    Pod p = h.awaitPod("notready", x -> "Running".equals(x.getStatus().getPhase()));
    assertThat(condition(p, "Ready", "False")).isTrue();
    assertThat(cs(p, "app").getReady()).isFalse();
    assertThat(cs(p, "app").getRestartCount()).isZero();
    h.awaitPod("ready", x -> condition(x, "Ready", "True"));
  }

  @Test
  void runsInitContainersInOrderBeforeTheContainers() {
    h.simRuntime().addRule(ContainerMatch.containerName("init-1"), ContainerBehavior.exitAfter(Duration.ofSeconds(2), 0));
    h.simRuntime().addRule(ContainerMatch.containerName("init-2"), ContainerBehavior.exitAfter(Duration.ofSeconds(2), 0));
    Pod spec = pod("init", container("main"));
    h.create(spec.toBuilder().setSpec(spec.getSpec().toBuilder()
        .addInitContainers(container("init-1")).addInitContainers(container("init-2"))).build());

    Pod p = h.awaitPod("init", x -> x.getStatus().getInitContainerStatusesCount() == 2);
    assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(p.getStatus().getInitContainerStatuses(0).getState().hasRunning()).isTrue();
    assertThat(p.getStatus().getInitContainerStatuses(1).getState().getWaiting().getReason()).isEqualTo("PodInitializing");
    assertThat(h.runtime.listContainers()).hasSize(1);

    h.advance(Duration.ofSeconds(2));
    p = h.awaitPod("init", x -> x.getStatus().getInitContainerStatuses(1).getState().hasRunning());
    assertThat(p.getStatus().getInitContainerStatuses(0).getState().getTerminated().getReason()).isEqualTo("Completed");
    assertThat(cs(p, "main").getState().hasWaiting()).isTrue();

    h.advance(Duration.ofSeconds(2));
    p = h.awaitPod("init", x -> "Running".equals(x.getStatus().getPhase()));
    assertThat(condition(p, "Initialized", "True")).isTrue();
    assertThat(cs(p, "main").getState().hasRunning()).isTrue();
  }

  @Test
  void deletionStopsAndRemovesEverythingThenDeletesThePod() {
    h.create(pod("gone", container("app")));
    h.awaitPod("gone", x -> "Running".equals(x.getStatus().getPhase()));
    h.client.resource(Kinds.POD).delete(DeleteRequest.newBuilder().setNamespace("default").setName("gone")
        .setGracePeriodSeconds(5).build());

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      h.settle();
      return h.client.resource(Kinds.POD).find("default", "gone").isEmpty();
    });
    assertThat(h.runtime.listContainers()).isEmpty();
    assertThat(h.runtime.listPodSandbox()).isEmpty();
  }

  @Test
  void configMapVolumeAppearsAsFilesAndFollowsChanges() throws Exception {
    h.client.resource(Kinds.CONFIG_MAP).create(ConfigMap.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("site").setNamespace("default"))
        .putData("index.html", "hello").build());
    Pod spec = pod("cm", container("app").toBuilder()
        .addVolumeMounts(VolumeMount.newBuilder().setName("www").setMountPath("/www")).build());
    Pod created = h.create(spec.toBuilder().setSpec(spec.getSpec().toBuilder()
        .addVolumes(Volume.newBuilder().setName("www")
            .setConfigMap(ConfigMapVolumeSource.newBuilder().setName("site")))).build());
    h.awaitPod("cm", x -> "Running".equals(x.getStatus().getPhase()));

    Path dir = h.agent.config().podDir(created.getMetadata().getUid())
        .resolve("volumes/kubernetes.io~configmap/www");
    assertThat(Files.readString(dir.resolve("index.html"))).isEqualTo("hello");
    var status = h.runtime.containerStatus(h.runtime.listContainers().get(0).getId());
    assertThat(status.getMounts(0).getContainerPath()).isEqualTo("/www");
    assertThat(status.getMounts(0).getHostPath()).isEqualTo(dir.toString());

    h.client.resource(Kinds.CONFIG_MAP).update(h.client.resource(Kinds.CONFIG_MAP).get("default", "site")
        .toBuilder().putData("index.html", "changed").build());
    h.advance(Duration.ofSeconds(12));
    assertThat(Files.readString(dir.resolve("index.html"))).isEqualTo("changed");
  }

  @Test
  void aRestartedAgentAdoptsRunningContainers() throws Exception {
    h.create(pod("keep", container("app")));
    Pod before = h.awaitPod("keep", x -> "Running".equals(x.getStatus().getPhase()));
    String id = cs(before, "app").getContainerId();

    h.agent.close();
    NodeAgent second = new NodeAgent(h.client, h.agent.config(), h.runtime, h.clock, Runnable::run);
    try {
      second.startSteppable();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> second.podInformer().hasSynced());
      second.relistOnce();
      assertThat(h.runtime.listContainers()).hasSize(1);
      assertThat(h.runtime.listContainers().get(0).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
      assertThat("containerd://" + h.runtime.listContainers().get(0).getId()).isEqualTo(id);
      assertThat(h.runtime.listPodSandbox()).hasSize(1);
    } finally {
      second.close();
    }
  }

  @Test
  void reportsConditionsInKubernetesOrder() {
    // PodCondition ordering is stable: PodScheduled, Initialized, ContainersReady, Ready.
    h.create(pod("order", container("app")));
    Pod p = h.awaitPod("order", x -> "Running".equals(x.getStatus().getPhase()));
    assertThat(p.getStatus().getConditionsList().stream().map(PodCondition::getType).toList())
        .containsExactly("PodScheduled", "Initialized", "ContainersReady", "Ready");
  }
}
