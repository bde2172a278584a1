package dev.skiff.bench.podstartup;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.WatchEventType;
import dev.skiff.api.v1.WatchRequest;
import dev.skiff.client.Watch;
import dev.skiff.client.WatchListener;
import dev.skiff.client.api.Kinds;
import dev.skiff.cri.v1.PodSandboxFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Pod startup latency on real containerd through the whole path (Kubernetes' pod startup SLI):
 * N pods created at once through the API server, scheduled, run by the node agent through the CRI;
 * for each, the time from its Create call to the first watch event showing phase Running, and
 * showing condition Ready. Then the resident memory of the process (all components) idle and with
 * M pods running.
 *
 * <p>Usage: {@code PodStartupBench <cri-endpoint> [pods=30] [rssPods=100] [rounds=1]}: the measured
 * batch runs {@code rounds} times in the same process (each round printed), after one warm-up pod.
 */
public final class PodStartupBench {
  private static final String NS = "default";
  private static final String IMAGE = "localhost:5000/busybox:1.35";

  public static void main(String[] args) throws Exception {
    String endpoint = args.length > 0 ? args[0] : "unix:///var/lib/skiff/containerd/containerd.sock";
    int pods = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int rssPods = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    Path dir = Files.createTempDirectory("skiff-podstartup");
    try (AllInOne cluster = new AllInOne(dir, endpoint)) {
      awaitNodeReady(cluster);
      // Warm-up: the image is pulled and every path is loaded once.
      runBatch(cluster, "warmup", 1);
      deleteAll(cluster);
      System.gc();
      Thread.sleep(3000);
      long idle = rssKb();

      for (int round = 1; round <= rounds; round++) {
        cluster.timed.reset();
        CpuSnapshot cpu = CpuSnapshot.take();
        Result r = runBatch(cluster, "pod", pods);
        String cpuLine = CpuSnapshot.take().since(cpu);
        System.out.printf("round %d (load %s): pods=%d create->Running p50=%d ms p99=%d ms max=%d ms"
            + " | create->Ready p50=%d ms p99=%d ms max=%d ms%n", round, loadAverage(), pods,
            pct(r.running, 50), pct(r.running, 99), pct(r.running, 100),
            pct(r.ready, 50), pct(r.ready, 99), pct(r.ready, 100));
        System.out.print(r.phases().table(cluster.timed));
        System.out.print(cpuLine);
        deleteAll(cluster);
      }
      if (rssPods <= 0) {
        return;
      }

      runBatch(cluster, "rss", rssPods);
      System.gc();
      Thread.sleep(3000);
      long loaded = rssKb();
      System.out.printf("rss idle=%d MiB, with %d pods=%d MiB (whole all-in-one process)%n",
          idle / 1024, rssPods, loaded / 1024);
      deleteAll(cluster);
    } finally {
      deleteTree(dir);
    }
  }

  private record Result(List<Long> running, List<Long> ready, PhaseReport phases) {}

  private static void awaitNodeReady(AllInOne cluster) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      var node = cluster.client.resource(Kinds.NODE).find("", AllInOne.NODE);
      if (node.isPresent() && node.get().getStatus().getConditionsList().stream()
          .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("node " + AllInOne.NODE + " did not become Ready: is containerd up?");
  }

  private static Result runBatch(AllInOne cluster, String prefix, int n) throws Exception {
    Map<String, Long> created = new ConcurrentHashMap<>();
    Map<String, Long> running = new ConcurrentHashMap<>();
    Map<String, Long> ready = new ConcurrentHashMap<>();
    PhaseReport phases = new PhaseReport(created, running);
    Watch watch = cluster.client.resource(Kinds.POD).watch(WatchRequest.newBuilder().setNamespace(NS).build(),
        new WatchListener<>() {
          @Override
          public void onEvent(WatchEventType type, Pod p) {
            long now = System.nanoTime();
            String name = p.getMetadata().getName();
            phases.observe(p, now);
            if ("Running".equals(p.getStatus().getPhase())) {
              running.putIfAbsent(name, now);
            }
            if (p.getStatus().getConditionsList().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))) {
              ready.putIfAbsent(name, now);
            }
          }

          @Override
          public void onError(Throwable t) {
            System.err.println("watch failed: " + t);
          }

          @Override
          public void onClosed() {}
        });
    try {
      Thread.sleep(500); // the watch is established
      List<Thread> creators = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = prefix + "-" + i;
        creators.add(Thread.ofVirtual().start(() -> {
          created.put(name, System.nanoTime());
          cluster.client.resource(Kinds.POD).create(Pod.newBuilder().setApiVersion("v1").setKind("Pod")
              .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace(NS))
              .setSpec(PodSpec.newBuilder().setTerminationGracePeriodSeconds(1)
                  .addContainers(Container.newBuilder().setName("app").setImage(IMAGE)
                      .setImagePullPolicy("IfNotPresent").addCommand("sleep").addCommand("3600")))
              .build());
        }));
      }
      for (Thread t : creators) {
        t.join();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
      while (ready.size() < n && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      if (ready.size() < n) {
        throw new IllegalStateException(prefix + ": only " + ready.size() + " of " + n + " pods became Ready");
      }
    } finally {
      watch.close();
    }
    List<Long> runMs = new ArrayList<>();
    List<Long> readyMs = new ArrayList<>();
    created.forEach((name, t0) -> {
      runMs.add((running.get(name) - t0) / 1_000_000);
      readyMs.add((ready.get(name) - t0) / 1_000_000);
    });
    runMs.sort(null);
    readyMs.sort(null);
    return new Result(runMs, readyMs, phases);
  }

  private static void deleteAll(AllInOne cluster) throws InterruptedException {
    var pods = cluster.client.resource(Kinds.POD);
    for (Pod p : pods.list(NS).getItemsList()) {
      pods.delete(DeleteRequest.newBuilder().setNamespace(NS).setName(p.getMetadata().getName())
          .setGracePeriodSeconds(1).build());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (pods.list(ListRequest.newBuilder().setNamespace(NS).build()).getItemsCount() > 0
        && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    while (!cluster.timed.listPodSandbox(PodSandboxFilter.newBuilder()
        .putLabelSelector("dev.skiff.node", AllInOne.NODE).build()).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
  }

  static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
  }

  static String loadAverage() throws Exception {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  static long rssKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static void deleteTree(Path p) throws Exception {
    if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      try (var s = Files.list(p)) {
        for (Path c : s.toList()) {
          deleteTree(c);
        }
      }
    }
    Files.deleteIfExists(p);
  }
}
