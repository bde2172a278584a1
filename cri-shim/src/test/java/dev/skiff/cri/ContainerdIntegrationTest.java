package dev.skiff.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.cri.v1.ContainerFilter;
import dev.skiff.cri.v1.ContainerState;
import dev.skiff.cri.v1.ContainerStatus;
import dev.skiff.cri.v1.ExecSyncResponse;
import dev.skiff.cri.v1.LinuxContainerResources;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.cri.v1.PodSandboxState;
import dev.skiff.cri.v1.PodSandboxStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RemoteRuntime against the real containerd that {@code scripts/setup-runtime.sh} starts: a pod
 * with CNI networking running busybox httpd, pulled from the local registry through the CRI.
 * Skipped (with the reason) when the runtime socket is absent; CI runs the script first.
 */
@Tag("containerd")
class ContainerdIntegrationTest {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerdIntegrationTest.class);
  private static final String BUSYBOX = "localhost:5000/busybox:1.35";

  @TempDir Path logs;
  private RemoteRuntime runtime;
  private final List<String> sandboxes = new ArrayList<>();

  @BeforeEach
  void connect() {
    String endpoint = System.getenv().getOrDefault("SKIFF_CRI_ENDPOINT", RemoteRuntime.DEFAULT_ENDPOINT);
    Path socket = Path.of(endpoint.replaceFirst("^unix://", ""));
    Assumptions.assumeTrue(Files.exists(socket),
        () -> "containerd socket " + socket + " absent: run `sudo scripts/setup-runtime.sh` to include this test");
    Assumptions.assumeTrue(Files.isReadable(socket) && Files.isWritable(socket),
        () -> "containerd socket " + socket + " not accessible to this user: run the tests as root");
    runtime = RemoteRuntime.connect(endpoint, RuntimeTimeouts.defaults().withCall(Duration.ofSeconds(30)));
  }

  @AfterEach
  void cleanUp() {
    if (runtime == null) {
      return;
    }
    for (String id : sandboxes) {
      try {
        runtime.stopPodSandbox(id);
        runtime.removePodSandbox(id);
      } catch (CriException e) {
        LOG.warn("cleanup of sandbox {} failed: {}", id, e.getMessage());
      }
    }
    runtime.close();
  }

  @Test
  void runsBusyboxHttpdInAPodOnTheBridgeNetwork() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long t0 = System.nanoTime();
    assertThat(runtime.version().getRuntimeName()).isEqualTo("containerd");
    assertThat(RuntimeConditions.ready(runtime.status())).as("RuntimeReady and NetworkReady").isTrue();

    String ref = runtime.pullImage(BUSYBOX, null, null);
    assertThat(ref).startsWith("sha256:");
    assertThat(runtime.imageStatus(BUSYBOX)).hasValueSatisfying(i -> assertThat(i.getRepoTagsList()).contains(BUSYBOX));
    assertThat(runtime.imageStatus("localhost:5000/never-pushed:1")).isEmpty();
    long pulled = System.nanoTime();

    PodSandboxConfig pod = CriConfigs.sandbox("default", "httpd-it", logs.toString());
    String sandboxId = runtime.runPodSandbox(pod, "");
    sandboxes.add(sandboxId);
    PodSandboxStatus ps = runtime.podSandboxStatus(sandboxId);
    assertThat(ps.getState()).isEqualTo(PodSandboxState.SANDBOX_READY);
    String ip = ps.getNetwork().getIp();
    assertThat(ip).startsWith("10.88.");
    long sandboxed = System.nanoTime();

    String script = "mkdir -p /www && echo hello-skiff > /www/index.html && echo \"started $GREETING\""
        + " && exec httpd -f -p 8080 -h /www";
    String id = runtime.createContainer(sandboxId,
        CriConfigs.container("httpd", BUSYBOX, List.of("sh", "-c"), List.of(script)), pod);
    runtime.startContainer(id);
    ContainerStatus cs = runtime.containerStatus(id);
    assertThat(cs.getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    assertThat(cs.getLogPath()).isEqualTo(logs.resolve("httpd/0.log").toString());
    long started = System.nanoTime();

    ExecSyncResponse hi = runtime.execSync(id, List.of("echo", "hi"), Duration.ofSeconds(5));
    assertThat(hi.getExitCode()).isZero();
    assertThat(hi.getStdout().toStringUtf8()).isEqualTo("hi\n");
    assertThat(runtime.execSync(id, List.of("sh", "-c", "exit 3"), Duration.ofSeconds(5)).getExitCode()).isEqualTo(3);
    long execd = System.nanoTime();

    HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/index.html"))
        .timeout(Duration.ofSeconds(2)).build();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .untilAsserted(() -> assertThat(http.send(get, HttpResponse.BodyHandlers.ofString()).body())
            .isEqualTo("hello-skiff\n"));
    long served = System.nanoTime();

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Files.readAllLines(Path.of(cs.getLogPath())))
        .first().satisfies(line -> {
          CriLogLine first = CriLogLine.parse(line);
          assertThat(first.stream()).isEqualTo("stdout");
          assertThat(first.partial()).isFalse();
          assertThat(first.content()).isEqualTo("started hello");
        }));

    assertThat(runtime.listContainers(ContainerFilter.newBuilder().setPodSandboxId(sandboxId).build()))
        .extracting(c -> c.getId()).containsExactly(id);
    runtime.updateContainerResources(id, LinuxContainerResources.newBuilder()
        .setCpuShares(256).setCpuPeriod(100_000).setCpuQuota(100_000).setMemoryLimitInBytes(128L << 20).build());
    assertThat(runtime.containerStats(id).getAttributes().getId()).isEqualTo(id);
    assertThat(runtime.imageFsInfo()).isNotEmpty();

    runtime.stopContainer(id, Duration.ofSeconds(1));
    ContainerStatus stopped = runtime.containerStatus(id);
    assertThat(stopped.getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
    assertThat(stopped.getFinishedAt()).isGreaterThan(stopped.getStartedAt());
    assertThatThrownBy(() -> runtime.execSync(id, List.of("true"), Duration.ofSeconds(1)))
        .isInstanceOf(CriException.class).hasMessageContaining("CONTAINER_EXITED");
    runtime.removeContainer(id);
    assertThatThrownBy(() -> runtime.containerStatus(id))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.isNotFound()).isTrue());
    long stoppedAt = System.nanoTime();

    runtime.stopPodSandbox(sandboxId);
    runtime.removePodSandbox(sandboxId);
    sandboxes.remove(sandboxId);
    assertThatThrownBy(() -> runtime.podSandboxStatus(sandboxId))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.isNotFound()).isTrue());
    long removed = System.nanoTime();

    LOG.info("containerd pod timings (ms): pull {} | sandbox {} | create+start {} | 2 execs {} | first HTTP answer {}"
            + " | stop+remove container {} | stop+remove sandbox {} | total {}",
        ms(t0, pulled), ms(pulled, sandboxed), ms(sandboxed, started), ms(started, execd), ms(execd, served),
        ms(served, stoppedAt), ms(stoppedAt, removed), ms(t0, removed));
  }

  @Test
  void aContainerThatExitsReportsItsCodeReasonAndStderr() throws Exception {
    runtime.pullImage(BUSYBOX, null, null);
    PodSandboxConfig pod = CriConfigs.sandbox("default", "quitter-it", logs.toString());
    String sandboxId = runtime.runPodSandbox(pod, "");
    sandboxes.add(sandboxId);
    String id = runtime.createContainer(sandboxId,
        CriConfigs.container("quitter", BUSYBOX, List.of("sh", "-c", "echo bye >&2; exit 3"), List.of()), pod);
    runtime.startContainer(id);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
        assertThat(runtime.containerStatus(id).getState()).isEqualTo(ContainerState.CONTAINER_EXITED));
    ContainerStatus exited = runtime.containerStatus(id);
    assertThat(exited.getExitCode()).isEqualTo(3);
    assertThat(exited.getReason()).isEqualTo("Error"); // the simulator reports the same reasons
    CriLogLine line = CriLogLine.parse(Files.readAllLines(Path.of(exited.getLogPath())).get(0));
    assertThat(line.stream()).isEqualTo("stderr");
    assertThat(line.content()).isEqualTo("bye");
  }

  @Test
  void missingImagesAndIdsFailWithTheirCriCodes() {
    assertThatThrownBy(() -> runtime.pullImage("localhost:5000/never-pushed:1", null, null))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.operation()).isEqualTo("PullImage"))
        .hasMessageContaining("never-pushed");
    PodSandboxConfig pod = CriConfigs.sandbox("default", "noimage-it", logs.toString());
    String sandboxId = runtime.runPodSandbox(pod, "");
    sandboxes.add(sandboxId);
    assertThatThrownBy(() -> runtime.createContainer(sandboxId,
            CriConfigs.container("app", "localhost:5000/never-pushed:1", List.of("sh"), List.of()), pod))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.isNotFound()).isTrue());
    assertThatThrownBy(() -> runtime.containerStatus("0123456789abcdef"))
        .isInstanceOfSatisfying(CriException.class, e -> assertThat(e.isNotFound()).isTrue());
    runtime.stopContainer("0123456789abcdef", Duration.ZERO); // gone counts as stopped
    runtime.removeContainer("0123456789abcdef");
  }

  private static long ms(long from, long to) {
    return (to - from) / 1_000_000;
  }
}
