package dev.skiff.nodeagent.pod;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodStatus;
import dev.skiff.api.v1.Preconditions;
import dev.skiff.client.ApiException;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.cri.ContainerRuntime;
import dev.skiff.cri.v1.ContainerState;
import dev.skiff.cri.v1.ContainerStatus;
import dev.skiff.cri.v1.PodSandboxConfig;
import dev.skiff.nodeagent.probe.ProbeManager;
import dev.skiff.nodeagent.probe.ProbeResult;
import dev.skiff.nodeagent.probe.ProbeType;
import dev.skiff.nodeagent.runtime.ContainerConfigException;
import dev.skiff.nodeagent.runtime.PodConfigs;
import dev.skiff.nodeagent.runtime.RuntimeLabels;
import dev.skiff.nodeagent.status.Phases;
import dev.skiff.nodeagent.status.PodStatusBuilder;
import dev.skiff.nodeagent.status.StatusWriter;
import dev.skiff.nodeagent.status.Waiting;
import dev.skiff.nodeagent.volume.VolumeManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync of one pod (kubelet's SyncPod / SyncTerminatingPod): compares the pod's spec with what
 * the runtime holds for its uid and takes the next steps — sandbox, init containers in order,
 * containers with restart policy and crash-loop back-off, due probes (a failed liveness or startup
 * probe kills the container), graceful termination and removal on deletion, garbage collection —
 * then writes the status if it changed, and asks to be synced again when the next timer is due.
 *
 * <p>Everything is derived from the runtime's labels, so a restarted agent adopts what runs.
 * Called only by {@link PodWorkers} (one sync per uid at a time).
 *
 * <p>Runtime reads: one full read (sandboxes and containers by uid, each container's status) at the
 * start of a sync; after the sync's own creations only what it created is read (the new sandbox's
 * status, the started containers' statuses), and the state it ends with is acknowledged to the
 * {@link Relister}, so that those creations do not trigger another sync. Anything else it changed
 * (stops, removals, a failed start) is read in full again and not acknowledged.
 */
public final class PodSyncer {
  private static final Logger log = LoggerFactory.getLogger(PodSyncer.class);

  /** The collaborators of a sync. */
  public record Deps(SkiffClient client, ContainerRuntime runtime, RuntimeReader reader,
      PodConfigs configs, VolumeManager volumes, ProbeManager probes, CrashLoopBackoff backoff,
      ContainerStarter starter, PodKiller killer, PodStatusBuilder statusBuilder,
      StatusWriter statusWriter, Clock clock, Duration resync) {}

  private final Deps d;
  private final Function<String, Optional<Pod>> podByUid;
  private PodWorkers workers;
  private Relister relister;

  public PodSyncer(Deps deps, Function<String, Optional<Pod>> podByUid) {
    this.d = deps;
    this.podByUid = podByUid;
  }

  /** Set once before the first sync: where re-syncs are queued, and who relists the runtime. */
  public void bind(PodWorkers podWorkers, Relister runtimeRelister) {
    this.workers = podWorkers;
    this.relister = runtimeRelister;
  }

  /**
   * What one pass decided: reasons for containers that wait, the earliest timer, and what it
   * changed in the runtime: containers it started, and whether it changed anything else.
   */
  private static final class Pass {
    final Map<String, Waiting> waiting = new HashMap<>();
    final List<String> started = new ArrayList<>();
    Instant wake;
    boolean changed;
    boolean changedOther;

    void wakeAt(Instant at) {
      if (wake == null || at.isBefore(wake)) {
        wake = at;
      }
    }
  }

  public void sync(String uid) {
    Optional<Pod> found = podByUid.apply(uid);
    RuntimePod rt = d.reader().read(uid);
    if (found.isEmpty()) {
      cleanUpGone(uid, rt);
      return;
    }
    Pod pod = d.statusWriter().withLatestStatus(found.get()); // the informer may lag behind our write
    if (pod.getMetadata().hasDeletionTimestamp()) {
      terminate(pod, rt);
      return;
    }
    Pass pass = new Pass();
    if (Phases.terminal(pod.getStatus().getPhase())) {
      if (!rt.running().isEmpty() || rt.readySandbox().isPresent()) {
        d.killer().kill(pod, rt, PodConfigs.gracePeriodSeconds(pod));
        rt = d.reader().read(uid);
      }
      d.killer().collectGarbage(rt);
      finish(pod, rt, pass);
      return;
    }
    RuntimePod acted = null;
    try {
      rt = ensureSandbox(pod, rt, pass);
      if (rt.readySandbox().isPresent()) {
        acted = rt;
        runContainers(pod, rt, pass);
      }
    } catch (ContainerConfigException e) {
      PodConfigs.allContainers(pod).forEach(c ->
          pass.waiting.put(c.getName(), new Waiting("CreateContainerConfigError", e.getMessage())));
      pass.wakeAt(d.clock().instant().plusSeconds(5));
    } catch (IOException e) {
      PodConfigs.allContainers(pod).forEach(c ->
          pass.waiting.put(c.getName(), new Waiting("CreateContainerConfigError", "volume setup: " + e.getMessage())));
      pass.wakeAt(d.clock().instant().plusSeconds(5));
    }
    if (pass.changed) {
      rt = pass.changedOther || acted == null ? d.reader().read(uid)
          : d.reader().withStarted(acted, acted.readySandbox().orElseThrow().getId(), pass.started);
      if (probeStarted(pod, rt, pass)) {
        rt = d.reader().read(uid);
      }
    }
    if (d.killer().collectGarbage(rt) > 0) {
      pass.changedOther = true;
      rt = d.reader().read(uid);
    }
    finish(pod, rt, pass);
    if (!pass.changedOther && startedAreRunning(rt, pass.started)) {
      relister.acknowledge(rt);
    }
  }

  /**
   * Runs the due probes of the containers this pass started, which sets the wake-up for their
   * next ones (nothing else would sync the pod before then). Returns true when one was killed.
   */
  private boolean probeStarted(Pod pod, RuntimePod rt, Pass pass) {
    boolean killedBefore = pass.changedOther;
    for (Container c : PodConfigs.allContainers(pod)) {
      if (!c.hasLivenessProbe() && !c.hasReadinessProbe() && !c.hasStartupProbe()) {
        continue;
      }
      rt.containers().stream()
          .filter(inst -> pass.started.contains(inst.getId()) && RuntimeLabels.containerName(inst).equals(c.getName()))
          .filter(inst -> inst.getState() == ContainerState.CONTAINER_RUNNING)
          .findFirst().ifPresent(inst -> probe(pod, c, inst, rt.sandboxIp(), pass));
    }
    return pass.changedOther && !killedBefore;
  }

  private static boolean startedAreRunning(RuntimePod rt, List<String> started) {
    return started.stream().allMatch(id -> rt.containers().stream()
        .anyMatch(c -> c.getId().equals(id) && c.getState() == ContainerState.CONTAINER_RUNNING));
  }

  private void finish(Pod pod, RuntimePod rt, Pass pass) {
    PodStatus status = d.statusBuilder().build(d.statusWriter().withLatestStatus(pod), rt, pass.waiting);
    d.statusWriter().writeIfChanged(pod, status);
    if (Phases.terminal(status.getPhase()) && !Phases.terminal(pod.getStatus().getPhase())) {
      pass.wakeAt(d.clock().instant()); // stop what is left once the terminal phase is recorded
    }
    Instant resyncAt = d.clock().instant().plus(d.resync());
    pass.wakeAt(resyncAt);
    workers.enqueueAfter(pod.getMetadata().getUid(), Duration.between(d.clock().instant(), pass.wake));
  }

  /** A ready sandbox for the pod: the newest if ready, else a new one (attempt + 1). */
  private RuntimePod ensureSandbox(Pod pod, RuntimePod rt, Pass pass) throws ContainerConfigException, IOException {
    if (rt.readySandbox().isPresent()) {
      return rt;
    }
    boolean ranBefore = !rt.containers().isEmpty();
    if ("Never".equals(Phases.restartPolicy(pod)) && ranBefore) {
      return rt; // kubelet does not recreate the sandbox of a Never pod whose containers ran
    }
    if (!rt.running().isEmpty()) {
      d.killer().kill(pod, rt, PodConfigs.gracePeriodSeconds(pod));
      pass.changedOther = true;
    }
    int attempt = rt.newestSandbox().map(s -> s.getMetadata().getAttempt() + 1).orElse(0);
    d.volumes().setUp(pod);
    PodSandboxConfig config = d.configs().sandbox(pod, attempt);
    java.nio.file.Files.createDirectories(Path.of(config.getLogDirectory()));
    String id = d.runtime().runPodSandbox(config, pod.getSpec().getRuntimeClassName());
    log.info("pod {}/{}: sandbox {} (attempt {}) running", pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(), shortId(id), attempt);
    return pass.changedOther ? d.reader().read(pod.getMetadata().getUid()) : d.reader().withNewSandbox(rt, id);
  }

  private void runContainers(Pod pod, RuntimePod rt, Pass pass) throws ContainerConfigException, IOException {
    String uid = pod.getMetadata().getUid();
    var sandbox = rt.readySandbox().orElseThrow();
    PodSandboxConfig sandboxConfig = d.configs().sandbox(pod, (int) sandbox.getMetadata().getAttempt());
    Map<String, Path> volumes = d.volumes().setUp(pod);
    if (VolumeManager.hasProjectedSources(pod)) {
      pass.wakeAt(d.clock().instant().plusSeconds(10)); // follow ConfigMap/Secret changes
    }
    String policy = Phases.restartPolicy(pod);

    for (Container c : pod.getSpec().getInitContainersList()) {
      List<ContainerStatus> inSandbox = rt.instances(c.getName(), sandbox.getId());
      Optional<ContainerStatus> latest = inSandbox.stream().findFirst();
      if (latest.isPresent() && exited(latest.get()) && latest.get().getExitCode() == 0) {
        continue; // done
      }
      if (latest.isPresent() && latest.get().getState() == ContainerState.CONTAINER_RUNNING) {
        return; // wait for it
      }
      if (latest.isPresent() && exited(latest.get())) {
        if ("Never".equals(policy)) {
          return; // the pod fails
        }
        if (!restartAllowed(pod, c, latest.get(), pass)) {
          return;
        }
      }
      start(pod, c, true, nextAttempt(rt, c.getName()), sandbox.getId(), sandboxConfig, rt.sandboxIp(), volumes, pass);
      return; // one init container at a time
    }

    for (Container c : pod.getSpec().getContainersList()) {
      Optional<ContainerStatus> latest = rt.instances(c.getName(), sandbox.getId()).stream().findFirst();
      if (latest.isEmpty()) {
        start(pod, c, false, nextAttempt(rt, c.getName()), sandbox.getId(), sandboxConfig, rt.sandboxIp(), volumes, pass);
        continue;
      }
      ContainerStatus inst = latest.get();
      if (inst.getState() == ContainerState.CONTAINER_RUNNING) {
        probe(pod, c, inst, rt.sandboxIp(), pass);
        continue;
      }
      if (inst.getState() == ContainerState.CONTAINER_CREATED || inst.getState() == ContainerState.CONTAINER_UNKNOWN) {
        d.runtime().removeContainer(inst.getId()); // a start that did not complete
        pass.changed = true;
        pass.changedOther = true;
        start(pod, c, false, RuntimePod.attempt(inst), sandbox.getId(), sandboxConfig, rt.sandboxIp(), volumes, pass);
        continue;
      }
      boolean restart = "Always".equals(policy) || ("OnFailure".equals(policy) && inst.getExitCode() != 0);
      if (restart && restartAllowed(pod, c, inst, pass)) {
        start(pod, c, false, RuntimePod.attempt(inst) + 1, sandbox.getId(), sandboxConfig, rt.sandboxIp(), volumes, pass);
      }
    }
  }

  /** Applies the crash-loop back-off; records CrashLoopBackOff and the wake-up when waiting. */
  private boolean restartAllowed(Pod pod, Container c, ContainerStatus inst, Pass pass) {
    String key = pod.getMetadata().getUid() + "/" + c.getName();
    Instant finished = Instant.ofEpochSecond(0, inst.getFinishedAt());
    Optional<Duration> left = d.backoff().remaining(key, finished);
    if (left.isPresent()) {
      pass.waiting.put(c.getName(), new Waiting("CrashLoopBackOff", "back-off "
          + d.backoff().current(key).toSeconds() + "s restarting failed container=" + c.getName()
          + " pod=" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace()
          + "(" + pod.getMetadata().getUid() + ")"));
      pass.wakeAt(d.clock().instant().plus(left.get()));
      return false;
    }
    d.backoff().next(key, finished);
    return true;
  }

  private void probe(Pod pod, Container c, ContainerStatus inst, String podIp, Pass pass) {
    String uid = pod.getMetadata().getUid();
    Instant startedAt = Instant.ofEpochSecond(0, inst.getStartedAt());
    d.probes().runDue(uid, c, inst.getId(), startedAt, podIp).ifPresent(pass::wakeAt);
    boolean startupFailed = c.hasStartupProbe()
        && d.probes().result(uid, c, inst.getId(), ProbeType.STARTUP) == ProbeResult.FAILURE;
    boolean livenessFailed = d.probes().result(uid, c, inst.getId(), ProbeType.LIVENESS) == ProbeResult.FAILURE;
    if (startupFailed || livenessFailed) {
      log.info("pod {}/{}: container {} failed its {} probe, restarting", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), c.getName(), startupFailed ? "startup" : "liveness");
      var probe = startupFailed ? c.getStartupProbe() : c.getLivenessProbe();
      long grace = probe.hasTerminationGracePeriodSeconds()
          ? probe.getTerminationGracePeriodSeconds() : PodConfigs.gracePeriodSeconds(pod);
      d.killer().killContainer(inst, Optional.of(c), grace);
      d.probes().reset(uid, c.getName());
      pass.changed = true;
      pass.changedOther = true;
      pass.wakeAt(d.clock().instant());
    }
  }

  private void start(Pod pod, Container c, boolean init, int attempt, String sandboxId,
      PodSandboxConfig sandboxConfig, String podIp, Map<String, Path> volumes, Pass pass) {
    ContainerStarter.Result result =
        d.starter().start(pod, c, init, attempt, sandboxId, sandboxConfig, podIp, volumes);
    pass.changed = true;
    if (result.failure().isEmpty()) {
      pass.started.add(result.containerId());
    } else if (!result.containerId().isEmpty()) {
      pass.changedOther = true; // created, not started
    }
    result.failure().ifPresent(f -> {
      pass.waiting.put(c.getName(), f.waiting());
      pass.wakeAt(d.clock().instant().plus(f.retryAfter()));
      log.info("pod {}/{}: container {}: {}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          c.getName(), f.waiting().reason(), f.waiting().message());
    });
  }

  private static int nextAttempt(RuntimePod rt, String name) {
    return rt.latest(name).map(c -> RuntimePod.attempt(c) + 1).orElse(0);
  }

  private static boolean exited(ContainerStatus c) {
    return c.getState() == ContainerState.CONTAINER_EXITED;
  }

  /** Deletion: stop everything gracefully, remove it, then delete the pod object for good. */
  private void terminate(Pod pod, RuntimePod rt) {
    String uid = pod.getMetadata().getUid();
    d.killer().kill(pod, rt, PodConfigs.gracePeriodSeconds(pod));
    d.killer().removeAll(d.reader().read(uid));
    tearDownFiles(pod, uid);
    try {
      d.client().resource(Kinds.POD).delete(DeleteRequest.newBuilder()
          .setNamespace(pod.getMetadata().getNamespace()).setName(pod.getMetadata().getName())
          .setPreconditions(Preconditions.newBuilder().setUid(uid))
          .setGracePeriodSeconds(0).build());
      log.info("pod {}/{}: terminated and deleted", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
    } catch (ApiException e) {
      if (!e.isNotFound() && !e.isConflict()) {
        throw e;
      }
    }
    forget(uid);
  }

  /** The pod is gone from the API: remove whatever the runtime still holds for it. */
  private void cleanUpGone(String uid, RuntimePod rt) {
    if (!rt.isEmpty()) {
      log.info("pod uid {}: no longer in the API, removing its {} sandboxes and {} containers", uid,
          rt.sandboxes().size(), rt.containers().size());
      d.killer().kill(null, rt, -1);
      d.killer().removeAll(d.reader().read(uid));
    }
    tearDownFiles(null, uid);
    forget(uid);
  }

  private void tearDownFiles(Pod pod, String uid) {
    try {
      d.volumes().tearDown(uid);
      if (pod != null) {
        dev.skiff.nodeagent.volume.AtomicWriter.deleteTree(d.configs().podLogDir(pod));
      }
    } catch (IOException e) {
      log.warn("pod uid {}: cannot remove its files: {}", uid, e.getMessage());
    }
  }

  /** Everything of the pod is gone from the runtime and the node. */
  private void forget(String uid) {
    relister.acknowledgeGone(uid);
    d.probes().forgetPod(uid);
    d.backoff().forgetPrefix(uid + "/");
    d.statusWriter().forget(uid);
  }

  static String shortId(String id) {
    return id.length() > 12 ? id.substring(0, 12) : id;
  }
}
