package dev.skiff.cri.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.cri.CriConfigs;
import dev.skiff.cri.TestClock;
import dev.skiff.cri.v1.ContainerState;
import dev.skiff.cri.v1.CreateContainerRequest;
import dev.skiff.cri.v1.NamespaceMode;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.cri.v1.RunPodSandboxRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The simulation model alone, without gRPC. */
class SimulatedRuntimeTest {
  private static final String IMAGE = "localhost:5000/busybox:1.35";
  private final TestClock clock = new TestClock(Instant.parse("2026-11-22T00:00:00Z"));
  private final SimulatedRuntime rt =
      new SimulatedRuntime(SimulatedCriConfig.defaults().withClock(clock).withNodeIp("192.168.1.10"));

  private String run(PodSandboxConfig pod) {
    return rt.runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(pod).build());
  }

  private String start(String sandboxId, PodSandboxConfig pod, String name) {
    String id = rt.createContainer(CreateContainerRequest.newBuilder().setPodSandboxId(sandboxId)
        .setConfig(CriConfigs.container(name, IMAGE, List.of("sh"), List.of())).setSandboxConfig(pod).build());
    rt.startContainer(id);
    return id;
  }

  @Test
  void concurrentSandboxesGetDistinctAddresses() throws Exception {
    Set<String> ips = ConcurrentHashMap.newKeySet();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> runs = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        runs.add(pool.submit(() -> ips.add(rt.podSandboxStatus(run(CriConfigs.sandbox("ns", "p" + n, "")))
            .getNetwork().getIp())));
      }
      for (Future<?> f : runs) {
        f.get();
      }
    }
    assertThat(ips).hasSize(200).allSatisfy(ip -> assertThat(ip).startsWith("10.88."));
    assertThat(rt.sandboxCount()).isEqualTo(200);
  }

  @Test
  void hostNetworkSandboxesReportTheNodeIp() {
    PodSandboxConfig pod = CriConfigs.sandbox("kube-system", "proxy", "");
    pod = pod.toBuilder().setHostname("").setLinux(pod.getLinux().toBuilder().setSecurityContext(
        pod.getLinux().getSecurityContext().toBuilder().setNamespaceOptions(
            pod.getLinux().getSecurityContext().getNamespaceOptions().toBuilder().setNetwork(NamespaceMode.NODE))))
        .build();
    assertThat(rt.podSandboxStatus(run(pod)).getNetwork().getIp()).isEqualTo("192.168.1.10");
  }

  @Test
  void stoppingASandboxKillsItsContainersAndRemovingItRemovesThem() {
    rt.images().preload(IMAGE);
    PodSandboxConfig pod = CriConfigs.sandbox("default", "web", "");
    String sb = run(pod);
    String c = start(sb, pod, "app");
    String ip = rt.podSandboxStatus(sb).getNetwork().getIp();
    clock.advance(Duration.ofSeconds(5));
    rt.stopPodSandbox(sb);
    assertThat(rt.containerStatus(c).getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
    assertThat(rt.containerStatus(c).getExitCode()).isEqualTo(137);
    // the address went back to the pool: a later sandbox may get it once the cursor wraps
    assertThat(rt.podSandboxStatus(run(CriConfigs.sandbox("default", "next", ""))).getNetwork().getIp())
        .isNotEqualTo(ip);
    rt.removePodSandbox(sb);
    assertThat(rt.containerCount()).isZero();
  }

  @Test
  void rulesPickBehavioursInOrderAndStopUsesTheTermExitCode() {
    rt.images().preload(IMAGE);
    rt.addRule(ContainerMatch.pod("default", "stubborn"), ContainerBehavior.runForever().withTermExitCode(137));
    rt.addRule(ContainerMatch.any(), ContainerBehavior.exitAfter(Duration.ZERO, 0));
    PodSandboxConfig stubborn = CriConfigs.sandbox("default", "stubborn", "");
    String c1 = start(run(stubborn), stubborn, "app");
    PodSandboxConfig quick = CriConfigs.sandbox("default", "quick", "");
    String c2 = start(run(quick), quick, "app");
    assertThat(rt.containerStatus(c2).getState()).isEqualTo(ContainerState.CONTAINER_EXITED);
    assertThat(rt.containerStatus(c2).getReason()).isEqualTo("Completed");
    assertThat(rt.containerStatus(c1).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    rt.stopContainer(c1, 30);
    assertThat(rt.containerStatus(c1).getExitCode()).isEqualTo(137);
  }
}
