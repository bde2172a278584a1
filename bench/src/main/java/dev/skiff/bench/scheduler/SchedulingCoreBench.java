package dev.skiff.bench.scheduler;

import dev.skiff.api.v1.Pod;
import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.core.SchedulingAlgorithm;
import dev.skiff.scheduler.core.SchedulingLoop;
import dev.skiff.scheduler.core.SchedulingReporter;
import dev.skiff.scheduler.framework.BindPlugin;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.Nominator;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.framework.plugins.DefaultPlugins;
import dev.skiff.scheduler.framework.plugins.DefaultPreemption;
import dev.skiff.scheduler.queue.SchedulingQueue;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

/**
 * The scheduler's own capacity, without the API server: the real queue, cache, algorithm and
 * default plugins, with a Bind plugin that confirms the pod in the cache at once (what the
 * informer would do after a real bind). Measures pods/s and process CPU per pod.
 * {@code args = nodes pods parallelism rounds}.
 */
public final class SchedulingCoreBench {
  public static void main(String[] args) throws Exception {
    int nodes = Integer.parseInt(args.length > 0 ? args[0] : "5000");
    int pods = Integer.parseInt(args.length > 1 ? args[1] : "10000");
    int parallelism = Integer.parseInt(args.length > 2 ? args[2] : "2");
    int rounds = Integer.parseInt(args.length > 3 ? args[3] : "3");
    Clock clock = Clock.systemUTC();
    SchedulerCache cache = new SchedulerCache(clock, Duration.ofSeconds(30));
    Nominator nominator = new Nominator();
    BindPlugin confirm = new BindPlugin() {
      @Override
      public String name() {
        return "ConfirmInCache";
      }

      @Override
      public Status bind(CycleState state, PodInfo pod, String nodeName) {
        cache.addPod(pod);
        return Status.success();
      }
    };
    Map<String, Framework> frameworks = Map.of("default-scheduler", new Framework(
        DefaultPlugins.profile("default-scheduler",
            new DefaultPreemption((v, p, n) -> { }, nominator, 100), confirm)));
    SchedulingQueue queue = new SchedulingQueue(clock, Duration.ofSeconds(1),
        Duration.ofSeconds(10), Duration.ofMinutes(5), (p, e) -> true);
    SchedulingReporter quiet = new SchedulingReporter() {
      @Override
      public void scheduled(PodInfo pod, String nodeName) {}

      @Override
      public void unschedulable(PodInfo pod, String message, String nominatedNode) {}

      @Override
      public void error(PodInfo pod, String message) {}
    };
    try (SchedulingAlgorithm algorithm =
        new SchedulingAlgorithm(parallelism, 0, new Random(1), nominator)) {
      SchedulingLoop loop = new SchedulingLoop(queue, cache, frameworks, algorithm, nominator,
          quiet, Runnable::run, 1);
      for (int i = 0; i < nodes; i++) {
        cache.addNode(SchedulerBench.node(i));
      }
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < pods; i++) {
          Pod p = SchedulerBench.pod(round * pods + i);
          p = p.toBuilder().setMetadata(p.getMetadata().toBuilder().setUid("uid-" + round + "-" + i))
              .setSpec(p.getSpec().toBuilder().setSchedulerName("default-scheduler")).build();
          queue.add(PodInfo.of(p));
        }
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        int n = 0;
        while (loop.scheduleNext()) {
          n++;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf("round %d: %d nodes, %d pods (%d already placed): %.0f pods/s, "
            + "%.0f us CPU per pod%n", round, nodes, n, round * pods, n / secs, cpu * 1e6 / n);
      }
    }
  }

  private SchedulingCoreBench() {}
}
