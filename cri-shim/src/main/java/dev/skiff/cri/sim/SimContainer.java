package dev.skiff.cri.sim;

import dev.skiff.cri.v1.Container;
import dev.skiff.cri.v1.ContainerConfig;
import dev.skiff.cri.v1.ContainerState;
import dev.skiff.cri.v1.ContainerStatus;
import dev.skiff.cri.v1.LinuxContainerResources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One simulated container: no process, only a state machine driven by the runtime's clock
 * (CREATED → RUNNING → EXITED). Mutable; guarded by the owning {@link SimulatedRuntime}'s lock.
 */
final class SimContainer {
  final String id;
  final String sandboxId;
  final ContainerConfig config;
  final String imageRef;
  final String logPath; // absolute, or empty
  final long createdAtNanos;
  final ContainerBehavior behavior;
  final Map<List<String>, ExecOutcome> execOverrides = new HashMap<>();
  LinuxContainerResources resources;
  ContainerState state = ContainerState.CONTAINER_CREATED;
  long startedAtNanos;
  long finishedAtNanos;
  int exitCode;
  String reason = "";
  String message = "";

  SimContainer(String id, String sandboxId, ContainerConfig config, String imageRef, String logPath,
      long createdAtNanos, ContainerBehavior behavior) {
    this.id = id;
    this.sandboxId = sandboxId;
    this.config = config;
    this.imageRef = imageRef;
    this.logPath = logPath;
    this.createdAtNanos = createdAtNanos;
    this.behavior = behavior;
    this.resources = config.getLinux().getResources();
  }

  /** Applies the behaviour's own exit if its time has come. */
  /**
   * What an exec of {@code cmd} does here: an outcome scripted on this container, then one in its
   * behaviour, then {@link ExecOutcome#unscripted}.
   */
  ExecOutcome execOutcome(List<String> cmd) {
    ExecOutcome o = execOverrides.get(cmd);
    if (o == null) {
      o = behavior.exec().get(cmd);
    }
    return o != null ? o : ExecOutcome.unscripted(cmd);
  }

  void advance(long nowNanos) {
    if (state != ContainerState.CONTAINER_RUNNING || behavior.runFor() == null) {
      return;
    }
    long exitAt = startedAtNanos + behavior.runFor().toNanos();
    if (nowNanos >= exitAt) {
      finish(exitAt, behavior.exitCode(), behavior.oomKilled() ? "OOMKilled" : null);
    }
  }

  /** Moves a running container to EXITED; {@code reason} null derives it from the code. */
  void finish(long atNanos, int code, String forcedReason) {
    if (state == ContainerState.CONTAINER_EXITED) {
      return;
    }
    state = ContainerState.CONTAINER_EXITED;
    finishedAtNanos = atNanos;
    exitCode = code;
    reason = forcedReason != null ? forcedReason : (code == 0 ? "Completed" : "Error");
  }

  ContainerStatus status() {
    return ContainerStatus.newBuilder()
        .setId(id)
        .setMetadata(config.getMetadata())
        .setState(state)
        .setCreatedAt(createdAtNanos)
        .setStartedAt(startedAtNanos)
        .setFinishedAt(finishedAtNanos)
        .setExitCode(exitCode)
        .setImage(config.getImage())
        .setImageRef(imageRef)
        .setReason(reason)
        .setMessage(message)
        .putAllLabels(config.getLabelsMap())
        .putAllAnnotations(config.getAnnotationsMap())
        .addAllMounts(config.getMountsList())
        .setLogPath(logPath)
        .build();
  }

  Container summary() {
    return Container.newBuilder()
        .setId(id)
        .setPodSandboxId(sandboxId)
        .setMetadata(config.getMetadata())
        .setImage(config.getImage())
        .setImageRef(imageRef)
        .setState(state)
        .setCreatedAt(createdAtNanos)
        .putAllLabels(config.getLabelsMap())
        .putAllAnnotations(config.getAnnotationsMap())
        .build();
  }
}
