package dev.skiff.nodeagent.pod;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.Pod;
import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.CriException;
import dev.skiff.cri.v1.ContainerState;
import dev.skiff.cri.v1.ContainerStatus;
import dev.skiff.cri.v1.PodSandbox;
import dev.skiff.nodeagent.runtime.PodConfigs;
import dev.skiff.nodeagent.runtime.RuntimeLabels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Graceful termination (kubelet's killPod / killContainer): each running container gets its
 * preStop exec hook (bounded by the grace period), then StopContainer with what is left of the
 * grace period (TERM, then KILL); containers stop in parallel, then the sandboxes stop. Removal of
 * everything is a separate step. Runs on the pod's worker; parallel stops on virtual threads.
 */
public final class PodKiller {
  private static final Logger log = LoggerFactory.getLogger(PodKiller.class);
  /** kubelet's minimum grace period for a stop. */
  static final long MIN_GRACE_SECONDS = 2;

  private final ContainerRuntime runtime;
  private final RuntimeReader reader;

  public PodKiller(ContainerRuntime runtime, RuntimeReader reader) {
    this.runtime = runtime;
    this.reader = reader;
  }

  /** Stops every running container and every ready sandbox of the pod. */
  public void kill(Pod pod, RuntimePod rt, long graceSeconds) {
    List<Thread> stops = new ArrayList<>();
    List<RuntimeException> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (ContainerStatus c : rt.running()) {
      Optional<Container> spec = pod == null ? Optional.empty() : PodConfigs.allContainers(pod).stream()
          .filter(x -> x.getName().equals(RuntimeLabels.containerName(c))).findFirst();
      long grace = graceSeconds >= 0 ? graceSeconds : graceFromAnnotations(c);
      stops.add(Thread.ofVirtual().name("stop-" + c.getId()).start(() -> {
        try {
          killContainer(c, spec, grace);
        } catch (RuntimeException e) {
          failures.add(e);
        }
      }));
    }
    join(stops);
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
    for (PodSandbox s : rt.sandboxes()) {
      if (RuntimeReader.ready(s)) {
        runtime.stopPodSandbox(s.getId());
        reader.forgetSandbox(s.getId());
      }
    }
  }

  /** preStop hook, then StopContainer with the rest of the grace period. */
  public void killContainer(ContainerStatus c, Optional<Container> spec, long graceSeconds) {
    long grace = Math.max(MIN_GRACE_SECONDS, graceSeconds);
    long started = System.nanoTime();
    var preStop = spec.filter(s -> s.hasLifecycle() && s.getLifecycle().hasPreStop()
        && s.getLifecycle().getPreStop().hasExec()).map(s -> s.getLifecycle().getPreStop().getExec());
    if (preStop.isPresent()) {
      try {
        runtime.execSync(c.getId(), preStop.get().getCommandList(), Duration.ofSeconds(grace));
      } catch (CriException e) {
        log.info("container {}: preStop hook failed: {}", RuntimeLabels.containerName(c), e.getMessage());
      }
    }
    long usedSeconds = (System.nanoTime() - started) / 1_000_000_000L;
    long left = Math.max(MIN_GRACE_SECONDS, grace - usedSeconds);
    runtime.stopContainer(c.getId(), Duration.ofSeconds(left));
  }

  /** Removes every container and sandbox of the pod (after {@link #kill}). */
  public void removeAll(RuntimePod rt) {
    for (ContainerStatus c : rt.containers()) {
      runtime.removeContainer(c.getId());
    }
    for (PodSandbox s : rt.sandboxes()) {
      runtime.stopPodSandbox(s.getId());
      runtime.removePodSandbox(s.getId());
      reader.forgetSandbox(s.getId());
    }
  }

  /**
   * Garbage collection of one pod: per container name keeps the newest instance and the newest
   * exited one before it (for {@code logs --previous}); removes older exited instances and
   * not-ready sandboxes other than the newest that hold no container any more.
   *
   * @return how many objects were removed
   */
  public int collectGarbage(RuntimePod rt) {
    int removed = 0;
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    rt.containers().forEach(c -> names.add(RuntimeLabels.containerName(c)));
    java.util.Set<String> kept = new java.util.HashSet<>();
    for (String name : names) {
      List<ContainerStatus> all = rt.instances(name);
      boolean keptExited = false;
      for (int i = 0; i < all.size(); i++) {
        ContainerStatus c = all.get(i);
        boolean exited = c.getState() == ContainerState.CONTAINER_EXITED;
        if (i == 0 || !exited || !keptExited) {
          kept.add(c.getId());
          if (i > 0 && exited) {
            keptExited = true;
          }
          continue;
        }
        runtime.removeContainer(c.getId());
        removed++;
      }
    }
    String newest = rt.newestSandbox().map(PodSandbox::getId).orElse("");
    for (PodSandbox s : rt.sandboxes()) {
      if (s.getId().equals(newest) || RuntimeReader.ready(s)) {
        continue;
      }
      boolean holds = rt.containers().stream()
          .anyMatch(c -> kept.contains(c.getId()) && RuntimePod.sandboxOf(c).equals(s.getId()));
      if (!holds) {
        try {
          runtime.removePodSandbox(s.getId());
          removed++;
        } catch (CriException e) {
          log.info("sandbox {}: removal failed, retried later: {}", s.getId(), e.getMessage());
        }
      }
    }
    return removed;
  }

  private static long graceFromAnnotations(ContainerStatus c) {
    try {
      return Long.parseLong(c.getAnnotationsOrDefault(RuntimeLabels.GRACE_PERIOD, "30"));
    } catch (NumberFormatException e) {
      return 30;
    }
  }

  private static void join(List<Thread> threads) {
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
