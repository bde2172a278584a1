package dev.skiff.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.cri.sim.ContainerBehavior;
import dev.skiff.cri.sim.ContainerMatch;
import dev.skiff.cri.sim.ExecOutcome;
import dev.skiff.cri.sim.SimulatedCriConfig;
import dev.skiff.cri.sim.SimulatedCriServer;
import dev.skiff.cri.v1.ContainerFilter;
import dev.skiff.cri.v1.ContainerState;
import dev.skiff.cri.v1.ContainerStateValue;
import dev.skiff.cri.v1.ContainerStatus;
import dev.skiff.cri.v1.ExecSyncResponse;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.cri.v1.PodSandboxFilter;
import dev.skiff.cri.v1.PodSandboxState;
import dev.skiff.cri.v1.PodSandboxStatus;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RemoteRuntime against the simulated CRI server over the in-process transport. */
class RemoteRuntimeTest {
  private static final String BUSYBOX = "localhost:5000/busybox:1.35";

  @TempDir Path logs;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-22T00:00:00Z"));
  private SimulatedCriServer sim;
  private ContainerRuntime runtime;

  @BeforeEach
  void start() {
    sim = new SimulatedCriServer(SimulatedCriConfig.defaults().withClock(clock).withPodCidr("10.88.0.0/24")).start();
    runtime = sim.newClient(RuntimeTimeouts.defaults());
  }

  @AfterEach
  void stop() {
    runtime.close();
    sim.close();
  }

  @Test
  void versionAndStatusReportAReadyRuntime() {
    assertThat(runtime.version().getRuntimeName()).isEqualTo("skiff-simulated");
    assertThat(RuntimeConditions.ready(runtime.status())).isTrue();
    sim.runtime().setNetworkReady(false);
    assertThat(RuntimeConditions.isTrue(runtime.status(), RuntimeConditions.RUNTIME_READY)).isTrue();
    assertThat(RuntimeConditions.ready(runtime.status())).isFalse();
  }

  @Test
  void podLifecycleFromPullToRemoval() throws Exception {
    String ref = runtime.pullImage(BUSYBOX, null, null);
    assertThat(ref).startsWith("sha256:");
    assertThat(runtime.imageStatus(BUSYBOX)).hasValueSatisfying(i -> assertThat(i.getId()).isEqualTo(ref));

    PodSandboxConfig pod = CriConfigs.sandbox("default", "web", logs.toString());
    String sandboxId = runtime.runPodSandbox(pod, "");
    PodSandboxStatus ps = runtime.podSandboxStatus(sandboxId);
    assertThat(ps.getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
    assertThat(ps.getNetwork().getIp()).isEqualTo("10.88.0.2");
    assertThat(ps.getMetadata()).isEqualTo(pod.getMetadata());
    assertThat(ps.getAnnotationsMap()).containsEntry("skiff.dev/test", "true");

    sim.runtime().addRule(ContainerMatch.containerName("httpd"),
        ContainerBehavior.runForever().withLogLines("listening on :8080"));
    String id = runtime.createContainer(sandboxId,
        CriConfigs.container("httpd", BUSYBOX, List.of("httpd"), List.of("-f", "-p", "8080")), pod);
    assertThat(runtime.containerStatus(id).getState()).isEqualTo(ContainerState.CONTAINER_CREATED);
    runtime.startContainer(id);
    ContainerStatus cs = runtime.containerStatus(id);
    assertThat(cs.getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    assertThat(cs.getImageRef()).isEqualTo(ref);
    assertThat(cs.getStartedAt()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z").getEpochSecond() * 1_000_000_000L);
    assertThat(Path.of(cs.getLogPath())).isEqualTo(logs.resolve("httpd/0.log"));
    assertThat(Files.readString(logs.resolve("httpd/0.log")))
        .isEqualTo("2026-11-22T00:00:00Z stdout F listening on :8080\n");

    ExecSyncResponse hi = runtime.execSync(id, List.of("echo", "hi"), Duration.ofSeconds(5));
    assertThat(hi.getExitCode()).isZero();
    assertThat(hi.getStdout().toStringUtf8()).isEqualTo("hi\n");

    assertThat(runtime.listContainers(ContainerFilter.newBuilder().setPodSandboxId(sandboxId).build()))
        .extracting(c -> c.getId()).containsExactly(id);
    assertThat(runtime.containerStats(id).getMemory().getWorkingSetBytes().getValue()).isPositive();

    runtime.stopContainer(id, Duration.ofSeconds(10));
    ContainerStatus stopped = runtime.containerStatus(id);
    assertThat(stopped.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
    assertThat(stopped.getReason()).isEqualTo("Completed");
    runtime.stopContainer(id, Duration.ofSeconds(10)); // idempotent
    runtime.removeContainer(id);
    runtime.removeContainer(id); // idempotent
    assertThatThrownBy(() -> runtime.containerStatus(id))
        .isInstanceOfSatisfying(CriException.class, e -> {
          assertThat(e.isNotFound()).isTrue();
          assertThat(e.operation()).isEqualTo("ContainerStatus");
        });

    runtime.stopPodSandbox(sandboxId);
    assertThat(runtime.podSandboxStatus(sandboxId).getState()).isEqualTo(PodSandboxState.SANDBOX_NOTREADY);
    runtime.removePodSandbox(sandboxId);
    runtime.stopPodSandbox(sandboxId); // gone: still fine
    runtime.removePodSandbox(sandboxId);
    assertThat(runtime.listPodSandbox()).isEmpty();
  }

  @Test
  void containersExitOnTheirOwnAsTheClockAdvances() {
    sim.runtime().addRule(ContainerMatch.containerName("job"), ContainerBehavior.exitAfter(Duration.ofSeconds(3), 2));
    sim.runtime().addRule(ContainerMatch.containerName("hog"), ContainerBehavior.oomAfter(Duration.ofSeconds(1)));
    runtime.pullImage(BUSYBOX, null, null);
    PodSandboxConfig pod = CriConfigs.sandbox("default", "batch", "");
    String sb = runtime.runPodSandbox(pod, "");
    String job = runtime.createContainer(sb, CriConfigs.container("job", BUSYBOX, List.of("false"), List.of()), pod);
    String hog = runtime.createContainer(sb, CriConfigs.container("hog", BUSYBOX, List.of("sh"), List.of()), pod);
    runtime.startContainer(job);
    runtime.startContainer(hog);

    clock.advance(Duration.ofMillis(1500));
    assertThat(runtime.containerStatus(job).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    ContainerStatus oom = runtime.containerStatus(hog);
    assertThat(oom.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
    assertThat(oom.getExitCode()).isEqualTo(137);
    assertThat(oom.getReason()).isEqualTo("OOMKilled");
    assertThat(oom.getFinishedAt() - oom.getStartedAt()).isEqualTo(Duration.ofSeconds(1).toNanos());

    clock.advance(Duration.ofSeconds(2));
    assertThat(runtime.listContainers(ContainerFilter.newBuilder()
            .setState(ContainerStateValue.newBuilder().setState(ContainerState.CONTAINER_EXITED)).build()))
        .hasSize(2);
    ContainerStatus done = runtime.containerStatus(job);
    assertThat(done.getExitCode()).isEqualTo(2);
    assertThat(done.getReason()).isEqualTo("Error");
    assertThatThrownBy(() -> runtime.execSync(job, List.of("true"), Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.UNKNOWN))
        .hasMessageContaining("CONTAINER_EXITED");
  }

  @Test
  void execAnswersAreScriptable() {
    runtime.pullImage(BUSYBOX, null, null);
    PodSandboxConfig pod = CriConfigs.sandbox("default", "probe", "");
    String sb = runtime.runPodSandbox(pod, "");
    String id = runtime.createContainer(sb, CriConfigs.container("app", BUSYBOX, List.of("sh"), List.of()), pod);
    runtime.startContainer(id);
    List<String> probe = List.of("cat", "/tmp/healthy");
    assertThat(runtime.execSync(id, probe, Duration.ofSeconds(1)).getExitCode()).isZero();
    sim.runtime().scriptExec(id, probe, ExecOutcome.exit(1, "cat: can't open '/tmp/healthy'"));
    ExecSyncResponse failed = runtime.execSync(id, probe, Duration.ofSeconds(1));
    assertThat(failed.getExitCode()).isEqualTo(1);
    assertThat(failed.getStderr().toStringUtf8()).contains("/tmp/healthy");
    sim.runtime().scriptExec(id, probe, ExecOutcome.timeout());
    assertThatThrownBy(() -> runtime.execSync(id, probe, Duration.ofSeconds(1)))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.isDeadlineExceeded()).isTrue());
    assertThat(runtime.execSync(id, List.of("false"), Duration.ZERO).getExitCode()).isEqualTo(1);

    sim.runtime().crash(id, 139);
    ContainerStatus crashed = runtime.containerStatus(id);
    assertThat(crashed.getExitCode()).isEqualTo(139);
    assertThat(crashed.getReason()).isEqualTo("Error");
  }

  @Test
  void imageErrorsKeepTheirCriStatus() {
    sim.runtime().images().failPulls("localhost:5000/nope:1", Status.NOT_FOUND.withDescription("manifest unknown"));
    assertThatThrownBy(() -> runtime.pullImage("localhost:5000/nope:1", null, null))
        .isInstanceOfSatisfying(CriException.class, e -> {
          assertThat(e.isNotFound()).isTrue();
          assertThat(e.operation()).isEqualTo("PullImage");
        })
        .hasMessageContaining("manifest unknown");
    assertThat(runtime.imageStatus("localhost:5000/nope:1")).isEmpty();

    PodSandboxConfig pod = CriConfigs.sandbox("default", "noimage", "");
    String sb = runtime.runPodSandbox(pod, "");
    assertThatThrownBy(() -> runtime.createContainer(sb,
            CriConfigs.container("app", "localhost:5000/absent:1", List.of("sh"), List.of()), pod))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.isNotFound()).isTrue())
        .hasMessageContaining("failed to resolve image");

    assertThatThrownBy(() -> runtime.pullImage("Not A Ref", null, null))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT));

    runtime.pullImage("busybox", null, null);
    assertThat(runtime.imageStatus("docker.io/library/busybox:latest")).isPresent();
    assertThat(runtime.listImages()).hasSize(1);
    assertThat(runtime.imageFsInfo().get(0).getUsedBytes().getValue()).isPositive();
    runtime.removeImage("busybox");
    runtime.removeImage("busybox");
    assertThat(runtime.listImages()).isEmpty();
  }

  @Test
  void sandboxesAreFilteredAndNamesReserved() {
    PodSandboxConfig a = CriConfigs.sandbox("ns1", "a", "");
    PodSandboxConfig b = CriConfigs.sandbox("ns2", "b", "");
    String ida = runtime.runPodSandbox(a, "");
    String idb = runtime.runPodSandbox(b, "");
    assertThat(runtime.podSandboxStatus(ida).getNetwork().getIp())
        .isNotEqualTo(runtime.podSandboxStatus(idb).getNetwork().getIp());
    assertThat(runtime.listPodSandbox(PodSandboxFilter.newBuilder()
            .putLabelSelector("io.kubernetes.pod.namespace", "ns2").build()))
        .extracting(s -> s.getId()).containsExactly(idb);
    assertThat(runtime.podSandboxStatus(ida.substring(0, 12)).getId()).isEqualTo(ida);
    assertThatThrownBy(() -> runtime.runPodSandbox(a, ""))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.UNKNOWN))
        .hasMessageContaining("is reserved");
    runtime.runPodSandbox(a.toBuilder().setMetadata(a.getMetadata().toBuilder().setAttempt(1)).build(), "");
    assertThatThrownBy(() -> runtime.podSandboxStatus("ffff0000"))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void badArgumentsFailBeforeTheCall() {
    assertThatThrownBy(() -> runtime.runPodSandbox(PodSandboxConfig.getDefaultInstance(), ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata.name");
    assertThatThrownBy(() -> runtime.startContainer(""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RemoteRuntime.connect("localhost:1234", RuntimeTimeouts.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unix://");
  }

  @Test
  void anAbsentSocketIsUnavailable() {
    try (RemoteRuntime absent = RemoteRuntime.connect("unix:///nonexistent/skiff/containerd.sock",
        RuntimeTimeouts.defaults().withCall(Duration.ofSeconds(60)))) { // fails at once; the deadline only bounds a hang
      assertThatThrownBy(absent::version)
          .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.isUnavailable()).isTrue());
    }
  }
}
