package dev.skiff.bench.scheduler;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeStatus;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.ResourceRequirements;
import dev.skiff.client.ApiException;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.scheduler.Scheduler;
import dev.skiff.scheduler.SchedulerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kubernetes scheduler_perf "SchedulingBasic" on Skiff: N nodes created as objects, then pods
 * (100m cpu, 500Mi memory, like scheduler_perf's default pod) created through the API server;
 * the scheduler binds each through the API server; the store (Raft, fsync) is in the loop.
 *
 * <p>Reports per phase: pods/s end to end (first create to last bind), the create rate alone, and
 * the scheduler's own rate over the phase. Phases run in one process on one cluster:
 * {@code args = nodes phase1Pods phase2Pods ...}; {@code -Dbench.warmup=N} first runs an
 * uncounted warm-up of N pods (see {@link #warmUp}).
 */
public final class SchedulerBench {
  private static final int CREATE_CONCURRENCY = 64;
  private static final String MEASURED = "bench";
  private static final String WARMUP = "warmup";

  public static void main(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    List<Integer> phases = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      phases.add(Integer.parseInt(args[i]));
    }
    if (phases.isEmpty()) {
      phases = List.of(10_000, 50_000);
    }
    int warmup = Integer.getInteger("bench.warmup", 0);
    try (BenchCluster cluster = new BenchCluster()) {
      SkiffClient client = cluster.client();
      createNamespace(client, MEASURED);
      long t = System.nanoTime();
      createAll(nodes, i -> client.resource(Kinds.NODE).create(node(i)));
      System.out.printf("created %d nodes in %.1f s%n", nodes, secondsSince(t));
      SchedulerConfig config = SchedulerConfig.defaults();
      try (Scheduler scheduler = new Scheduler(client, config, Clock.systemUTC())) {
        scheduler.start();
        if (warmup > 0) {
          warmUp(client, scheduler, nodes, warmup);
        }
        int offset = 0;
        for (int n : phases) {
          runPhase(client, scheduler, MEASURED, nodes, n, offset);
          offset += n;
        }
        System.out.println("final " + scheduler.stats());
      }
    }
  }

  /**
   * JIT warm-up, not counted: {@code pods} pods in their own namespace go through the same
   * create / schedule / bind path, then are deleted; the measured phases start once the
   * scheduler's cache is empty again, so they see the same empty nodes as without a warm-up.
   */
  private static void warmUp(SkiffClient client, Scheduler scheduler, int nodes, int pods)
      throws InterruptedException {
    createNamespace(client, WARMUP);
    System.out.print("warm-up (not counted): ");
    runPhase(client, scheduler, WARMUP, nodes, pods, 0);
    long t = System.nanoTime();
    createAll(pods, i -> client.resource(Kinds.POD).delete(DeleteRequest.newBuilder()
        .setNamespace(WARMUP).setName("pod-" + i).setGracePeriodSeconds(0).build()));
    while (scheduler.stats().cachedPods() > 0) {
      if (secondsSince(t) > 120) {
        throw new IllegalStateException("warm-up pods still cached after 120 s: "
            + scheduler.stats());
      }
      Thread.sleep(20);
    }
    System.out.printf("warm-up pods deleted and gone from the scheduler's cache in %.1f s%n",
        secondsSince(t));
  }

  private static void createNamespace(SkiffClient client, String name) {
    client.resource(Kinds.NAMESPACE).create(Namespace.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name)).build());
  }

  private static void runPhase(SkiffClient client, Scheduler scheduler, String namespace,
      int nodes, int pods, int offset) throws InterruptedException {
    long boundBefore = scheduler.stats().bound();
    long start = System.nanoTime();
    AtomicLong created = new AtomicLong();
    Thread creator = Thread.ofVirtual().start(() -> {
      try {
        createAll(pods, i -> {
          client.resource(Kinds.POD).create(pod(namespace, offset + i));
          created.incrementAndGet();
        });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    double createdAt = 0;
    long lastBound = boundBefore;
    long lastProgress = System.nanoTime();
    while (scheduler.stats().bound() < boundBefore + pods) {
      Thread.sleep(20);
      if (createdAt == 0 && created.get() == pods) {
        createdAt = secondsSince(start);
      }
      long b = scheduler.stats().bound();
      if (b != lastBound) {
        lastBound = b;
        lastProgress = System.nanoTime();
      } else if (secondsSince(lastProgress) > 60) {
        throw new IllegalStateException("no progress for 60 s: " + scheduler.stats());
      }
    }
    double total = secondsSince(start);
    creator.join();
    if (createdAt == 0) {
      createdAt = total;
    }
    System.out.printf("%d nodes / %d pods: %.0f pods/s end to end (%.1f s); creates alone %.0f pods/s;"
        + " %s%n", nodes, pods, pods / total, total, pods / createdAt, scheduler.stats());
  }

  interface Task {
    void run(int i) throws Exception;
  }

  private static void createAll(int count, Task task) throws InterruptedException {
    Semaphore slots = new Semaphore(CREATE_CONCURRENCY);
    AtomicLong failures = new AtomicLong();
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        slots.acquire();
        int n = i;
        ex.execute(() -> {
          try {
            for (int attempt = 0; ; attempt++) {
              try {
                task.run(n);
                break;
              } catch (ApiException e) {
                if (e.isAlreadyExists() || attempt >= 5) {
                  throw e;
                }
              }
            }
          } catch (Exception e) {
            if (failures.incrementAndGet() <= 3) {
              System.err.println("create " + n + " failed: " + e);
            }
          } finally {
            slots.release();
          }
        });
      }
    }
    if (failures.get() > 0) {
      throw new IllegalStateException(failures.get() + " creates failed");
    }
  }

  static Node node(int i) {
    String name = "node-" + i;
    return Node.newBuilder().setApiVersion("v1").setKind("Node")
        .setMetadata(ObjectMeta.newBuilder().setName(name)
            .putLabels("kubernetes.io/hostname", name)
            .putLabels("topology.kubernetes.io/zone", "zone-" + (i % 3)))
        .setStatus(NodeStatus.newBuilder()
            .putCapacity("cpu", "4").putCapacity("memory", "32Gi").putCapacity("pods", "110")
            .putAllocatable("cpu", "4").putAllocatable("memory", "32Gi").putAllocatable("pods", "110"))
        .build();
  }

  static Pod pod(int i) {
    return pod(MEASURED, i);
  }

  static Pod pod(String namespace, int i) {
    return Pod.newBuilder().setApiVersion("v1").setKind("Pod")
        .setMetadata(ObjectMeta.newBuilder().setName("pod-" + i).setNamespace(namespace))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder()
            .setName("pause").setImage("registry.k8s.io/pause:3.10")
            .setResources(ResourceRequirements.newBuilder()
                .putRequests("cpu", "100m").putRequests("memory", "500Mi"))))
        .build();
  }

  private static double secondsSince(long nanos) {
    return (System.nanoTime() - nanos) / 1e9;
  }

  private SchedulerBench() {}
}
