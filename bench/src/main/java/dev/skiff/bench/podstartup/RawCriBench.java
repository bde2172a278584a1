package dev.skiff.bench.podstartup;

import dev.skiff.cri.RemoteRuntime;
import dev.skiff.cri.RuntimeTimeouts;
import dev.skiff.cri.v1.ContainerConfig;
import dev.skiff.cri.v1.ContainerMetadata;
import dev.skiff.cri.v1.ImageSpec;
import dev.skiff.cri.v1.LinuxPodSandboxConfig;
import dev.skiff.cri.v1.LinuxSandboxSecurityContext;
import dev.skiff.cri.v1.NamespaceMode;
import dev.skiff.cri.v1.NamespaceOption;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.cri.v1.PodSandboxMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;

/**
 * The floor under {@link PodStartupBench}: N pods (sandbox + one busybox container) started at once
 * directly through the CRI, no API server, scheduler or agent. Prints sandbox→running p50/p99/max,
 * then removes everything.
 *
 * <p>Usage: {@code RawCriBench <cri-endpoint> [pods=30] [parallel=pods]}: at most {@code parallel}
 * pods in flight at a time (latency still counts from the common start).
 */
public final class RawCriBench {
  public static void main(String[] args) throws Exception {
    String endpoint = args.length > 0 ? args[0] : "unix:///var/lib/skiff/containerd/containerd.sock";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int parallel = args.length > 2 ? Integer.parseInt(args[2]) : n;
    // SECCOMP=1: the runtime/default profile on sandbox and container, as the node agent sets it.
    String seccomp = "1".equals(System.getenv("SECCOMP")) ? "runtime/default" : "";
    Semaphore slots = new Semaphore(parallel);
    Path logs = Files.createTempDirectory("skiff-rawcri");
    try (RemoteRuntime cri = RemoteRuntime.connect(endpoint, RuntimeTimeouts.defaults())) {
      List<Long> ms = Collections.synchronizedList(new ArrayList<>());
      List<Long> sandboxMs = Collections.synchronizedList(new ArrayList<>());
      List<Long> createMs = Collections.synchronizedList(new ArrayList<>());
      List<Long> startMs = Collections.synchronizedList(new ArrayList<>());
      List<String> sandboxes = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      CpuSnapshot cpu = CpuSnapshot.take();
      for (int i = 0; i < n; i++) {
        String name = "rawcri-" + i;
        threads.add(Thread.ofVirtual().start(() -> {
          long t0 = System.nanoTime();
          slots.acquireUninterruptibly();
          long tSlot = System.nanoTime();
          PodSandboxConfig sb = PodSandboxConfig.newBuilder()
              .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("bench")
                  .setUid(UUID.randomUUID().toString()))
              .setHostname(name).setLogDirectory(logs.resolve(name).toString())
              .putLabels("dev.skiff.bench", "rawcri")
              .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                  .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))
                  .setSeccompProfilePath(seccomp)))
              .build();
          String id = cri.runPodSandbox(sb, "");
          sandboxes.add(id);
          long t1 = System.nanoTime();
          sandboxMs.add((t1 - tSlot) / 1_000_000);
          String c = cri.createContainer(id, ContainerConfig.newBuilder()
              .setMetadata(ContainerMetadata.newBuilder().setName("app"))
              .setImage(ImageSpec.newBuilder().setImage("localhost:5000/busybox:1.35"))
              .addCommand("sleep").addCommand("3600").setLogPath("app.log")
              .setLinux(dev.skiff.cri.v1.LinuxContainerConfig.newBuilder().setSecurityContext(
                  dev.skiff.cri.v1.LinuxContainerSecurityContext.newBuilder().setSeccompProfilePath(seccomp)))
              .build(), sb);
          long t2 = System.nanoTime();
          createMs.add((t2 - t1) / 1_000_000);
          cri.startContainer(c);
          long t3 = System.nanoTime();
          startMs.add((t3 - t2) / 1_000_000);
          ms.add((t3 - t0) / 1_000_000);
          slots.release();
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      String cpuLine = CpuSnapshot.take().since(cpu);
      System.out.printf("raw CRI: pods=%d parallel=%d sandbox->container running %s | RunPodSandbox %s | CreateContainer %s"
          + " | StartContainer %s%n", n, parallel, summary(ms), summary(sandboxMs), summary(createMs), summary(startMs));
      System.out.print(cpuLine);
      for (String id : sandboxes) {
        cri.stopPodSandbox(id);
        cri.removePodSandbox(id);
      }
    }
  }

  private static String summary(List<Long> ms) {
    List<Long> sorted = new ArrayList<>(ms);
    sorted.sort(null);
    return String.format("p50=%d ms p99=%d ms max=%d ms", PodStartupBench.pct(sorted, 50),
        PodStartupBench.pct(sorted, 99), PodStartupBench.pct(sorted, 100));
  }
}
