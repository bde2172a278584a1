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

/**
 * The floor under {@link PodStartupBench}: N pods (sandbox + one busybox container) started at once
 * directly through the CRI, no API server, scheduler or agent. Prints sandbox→running p50/p99/max,
 * then removes everything.
 *
 * <p>Usage: {@code RawCriBench <cri-endpoint> [pods=30]}.
 */
public final class RawCriBench {
  public static void main(String[] args) throws Exception {
    String endpoint = args.length > 0 ? args[0] : "unix:///var/lib/skiff/containerd/containerd.sock";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    Path logs = Files.createTempDirectory("skiff-rawcri");
    try (RemoteRuntime cri = RemoteRuntime.connect(endpoint, RuntimeTimeouts.defaults())) {
      List<Long> ms = Collections.synchronizedList(new ArrayList<>());
      List<String> sandboxes = Collections.synchronizedList(new ArrayList<>());
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = "rawcri-" + i;
        threads.add(Thread.ofVirtual().start(() -> {
          long t0 = System.nanoTime();
          PodSandboxConfig sb = PodSandboxConfig.newBuilder()
              .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace("bench")
                  .setUid(UUID.randomUUID().toString()))
              .setHostname(name).setLogDirectory(logs.resolve(name).toString())
              .putLabels("dev.skiff.bench", "rawcri")
              .setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(LinuxSandboxSecurityContext.newBuilder()
                  .setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.CONTAINER))))
              .build();
          String id = cri.runPodSandbox(sb, "");
          sandboxes.add(id);
          String c = cri.createContainer(id, ContainerConfig.newBuilder()
              .setMetadata(ContainerMetadata.newBuilder().setName("app"))
              .setImage(ImageSpec.newBuilder().setImage("localhost:5000/busybox:1.35"))
              .addCommand("sleep").addCommand("3600").setLogPath("app.log").build(), sb);
          cri.startContainer(c);
          ms.add((System.nanoTime() - t0) / 1_000_000);
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      List<Long> sorted = new ArrayList<>(ms);
      sorted.sort(null);
      System.out.printf("raw CRI: pods=%d sandbox->container running p50=%d ms p99=%d ms max=%d ms%n",
          n, PodStartupBench.pct(sorted, 50), PodStartupBench.pct(sorted, 99), PodStartupBench.pct(sorted, 100));
      for (String id : sandboxes) {
        cri.stopPodSandbox(id);
        cri.removePodSandbox(id);
      }
    }
  }
}
