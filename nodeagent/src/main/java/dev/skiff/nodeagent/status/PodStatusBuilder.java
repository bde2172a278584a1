package dev.skiff.nodeagent.status;

import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.ContainerState;
import dev.skiff.api.v1.ContainerStateRunning;
import dev.skiff.api.v1.ContainerStateTerminated;
import dev.skiff.api.v1.ContainerStateWaiting;
import dev.skiff.api.v1.ContainerStatus;
import dev.skiff.api.v1.HostIP;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import dev.skiff.api.v1.PodIP;
import dev.skiff.api.v1.PodStatus;
import dev.skiff.nodeagent.pod.RuntimePod;
import dev.skiff.nodeagent.probe.ProbeManager;
import dev.skiff.nodeagent.probe.ProbeResult;
import dev.skiff.nodeagent.probe.ProbeType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes a pod's status the way kubelet's generateAPIPodStatus does: container statuses from the
 * runtime's instances (newest = state, the one before = lastState), readiness from probes, phase
 * from the containers and the restart policy, conditions with their last transition kept when the
 * condition did not change. Pure apart from reading the clock and the probe results.
 */
public final class PodStatusBuilder {
  private final Clock clock;
  private final ProbeManager probes;
  private final String hostIp;
  private final String runtimeScheme;

  /** @param runtimeScheme the containerID prefix, e.g. {@code containerd} */
  public PodStatusBuilder(Clock clock, ProbeManager probes, String hostIp, String runtimeScheme) {
    this.clock = clock;
    this.probes = probes;
    this.hostIp = hostIp;
    this.runtimeScheme = runtimeScheme;
  }

  public static Timestamp ts(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).build();
  }

  private static Timestamp tsNanos(long nanos) {
    return Timestamp.newBuilder().setSeconds(nanos / 1_000_000_000L).build();
  }

  /**
   * @param waiting the worker's reasons for containers that do not run, by container name
   */
  public PodStatus build(Pod pod, RuntimePod rt, Map<String, Waiting> waiting) {
    PodStatus old = pod.getStatus();
    PodStatus.Builder b = PodStatus.newBuilder()
        .setHostIp(hostIp).addHostIps(HostIP.newBuilder().setIp(hostIp))
        .setQosClass(QosClass.of(pod))
        .setObservedGeneration(pod.getMetadata().getGeneration());
    String podIp = rt.sandboxIp().isEmpty() ? old.getPodIp() : rt.sandboxIp();
    if (rt.readySandbox().isPresent() || !podIp.isEmpty()) {
      if (!podIp.isEmpty()) {
        b.setPodIp(podIp).addPodIps(PodIP.newBuilder().setIp(podIp));
      }
    }
    b.setStartTime(old.hasStartTime() ? old.getStartTime() : ts(clock.instant()));
    String uid = pod.getMetadata().getUid();

    boolean initDone = true;
    for (Container c : pod.getSpec().getInitContainersList()) {
      ContainerStatus s = containerStatus(uid, c, rt, waiting, true);
      b.addInitContainerStatuses(s);
      if (!(s.getState().hasTerminated() && s.getState().getTerminated().getExitCode() == 0)) {
        initDone = false;
      }
    }
    boolean allReady = true;
    for (Container c : pod.getSpec().getContainersList()) {
      ContainerStatus s = containerStatus(uid, c, rt, waiting, false);
      b.addContainerStatuses(s);
      allReady &= s.getReady();
    }
    String phase = Phases.phase(pod, b.getInitContainerStatusesList(), b.getContainerStatusesList());
    if (Phases.terminal(old.getPhase())) {
      phase = old.getPhase(); // terminal phases never change back
    }
    b.setPhase(phase);
    boolean terminal = Phases.terminal(phase);
    boolean containersReady = allReady && !terminal && pod.getSpec().getContainersCount() > 0;
    b.addConditions(condition(old, "PodScheduled", true, ""));
    b.addConditions(condition(old, "Initialized", initDone || terminal && initDone,
        initDone ? "" : "ContainersNotInitialized"));
    b.addConditions(condition(old, "ContainersReady", containersReady,
        containersReady ? "" : (terminal ? "PodCompleted" : "ContainersNotReady")));
    b.addConditions(condition(old, "Ready", containersReady,
        containersReady ? "" : (terminal ? "PodCompleted" : "ContainersNotReady")));
    return b.build();
  }

  private PodCondition condition(PodStatus old, String type, boolean status, String reason) {
    String value = status ? "True" : "False";
    Optional<PodCondition> prev = old.getConditionsList().stream()
        .filter(c -> c.getType().equals(type)).findFirst();
    Timestamp transition = prev.filter(p -> p.getStatus().equals(value))
        .map(PodCondition::getLastTransitionTime).orElse(ts(clock.instant()));
    if (type.equals("PodScheduled") && prev.isPresent() && prev.get().getStatus().equals("True")) {
      return prev.get();
    }
    return PodCondition.newBuilder().setType(type).setStatus(value).setReason(reason)
        .setLastTransitionTime(transition).build();
  }

  private ContainerStatus containerStatus(String uid, Container c, RuntimePod rt,
      Map<String, Waiting> waiting, boolean init) {
    List<dev.skiff.cri.v1.ContainerStatus> instances = rt.instances(c.getName());
    ContainerStatus.Builder s = ContainerStatus.newBuilder()
        .setName(c.getName()).setImage(c.getImage()).setStarted(false);
    if (instances.isEmpty()) {
      Waiting w = waiting.getOrDefault(c.getName(), init ? Waiting.POD_INITIALIZING : Waiting.CREATING);
      s.setState(ContainerState.newBuilder().setWaiting(
          ContainerStateWaiting.newBuilder().setReason(w.reason()).setMessage(w.message())));
      return s.build();
    }
    var latest = instances.get(0);
    s.setRestartCount(RuntimePod.attempt(latest))
        .setImageId(latest.getImageRef())
        .setContainerId(runtimeScheme + "://" + latest.getId());
    boolean running = latest.getState() == dev.skiff.cri.v1.ContainerState.CONTAINER_RUNNING;
    Waiting w = waiting.get(c.getName());
    if (running) {
      s.setState(ContainerState.newBuilder().setRunning(
          ContainerStateRunning.newBuilder().setStartedAt(tsNanos(latest.getStartedAt()))));
      boolean started = probes.started(uid, c, latest.getId());
      s.setStarted(started);
      boolean ready = started && !init && (!c.hasReadinessProbe()
          || probes.result(uid, c, latest.getId(), ProbeType.READINESS) == ProbeResult.SUCCESS);
      s.setReady(ready);
    } else if (latest.getState() == dev.skiff.cri.v1.ContainerState.CONTAINER_EXITED
        && w == null) {
      s.setState(ContainerState.newBuilder().setTerminated(terminated(latest)));
    } else {
      Waiting shown = w != null ? w : Waiting.CREATING;
      s.setState(ContainerState.newBuilder().setWaiting(
          ContainerStateWaiting.newBuilder().setReason(shown.reason()).setMessage(shown.message())));
    }
    // lastState: the newest exited instance that is not the current state.
    for (var inst : instances) {
      if (inst == latest && s.getState().hasTerminated()) {
        continue;
      }
      if (inst.getState() == dev.skiff.cri.v1.ContainerState.CONTAINER_EXITED) {
        s.setLastState(ContainerState.newBuilder().setTerminated(terminated(inst)));
        break;
      }
    }
    return s.build();
  }

  private ContainerStateTerminated terminated(dev.skiff.cri.v1.ContainerStatus c) {
    String reason = c.getReason().isEmpty() ? (c.getExitCode() == 0 ? "Completed" : "Error") : c.getReason();
    return ContainerStateTerminated.newBuilder()
        .setExitCode(c.getExitCode()).setReason(reason).setMessage(c.getMessage())
        .setStartedAt(tsNanos(c.getStartedAt())).setFinishedAt(tsNanos(c.getFinishedAt()))
        .setContainerId(runtimeScheme + "://" + c.getId())
        .build();
  }
}
