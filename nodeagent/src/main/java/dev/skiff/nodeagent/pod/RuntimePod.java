package dev.skiff.nodeagent.pod;

import dev.skiff.cri.v1.ContainerState;
import dev.skiff.cri.v1.ContainerStatus;
import dev.skiff.cri.v1.PodSandbox;
import dev.skiff.cri.v1.PodSandboxState;
import dev.skiff.nodeagent.runtime.RuntimeLabels;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the runtime holds for one pod (found by its uid label): its sandboxes and container
 * instances, each list newest first. A snapshot; immutable.
 *
 * @param sandboxIp the IP of the newest ready sandbox, empty when none
 */
public record RuntimePod(String uid, List<PodSandbox> sandboxes, List<ContainerStatus> containers,
    String sandboxIp) {

  public RuntimePod {
    sandboxes = sandboxes.stream()
        .sorted(Comparator.comparingLong(PodSandbox::getCreatedAt).reversed()).toList();
    containers = containers.stream()
        .sorted(Comparator.comparingLong(ContainerStatus::getCreatedAt).reversed()).toList();
  }

  public static RuntimePod empty(String uid) {
    return new RuntimePod(uid, List.of(), List.of(), "");
  }

  public boolean isEmpty() {
    return sandboxes.isEmpty() && containers.isEmpty();
  }

  public Optional<PodSandbox> newestSandbox() {
    return sandboxes.stream().findFirst();
  }

  /** The newest sandbox when it is ready (the one containers run in). */
  public Optional<PodSandbox> readySandbox() {
    return newestSandbox().filter(s -> s.getState() == PodSandboxState.SANDBOX_READY);
  }

  /** Instances of a container in the given sandbox, newest first. */
  public List<ContainerStatus> instances(String name, String sandboxId) {
    return containers.stream()
        .filter(c -> RuntimeLabels.containerName(c).equals(name))
        .filter(c -> sandboxId == null || sandboxOf(c).equals(sandboxId))
        .toList();
  }

  /** Instances of a container in any sandbox, newest first. */
  public List<ContainerStatus> instances(String name) {
    return instances(name, null);
  }

  public Optional<ContainerStatus> latest(String name) {
    return instances(name).stream().findFirst();
  }

  public List<ContainerStatus> running() {
    return containers.stream()
        .filter(c -> c.getState() == ContainerState.CONTAINER_RUNNING).toList();
  }

  /** The sandbox id the reader recorded in the status' labels. */
  static String sandboxOf(ContainerStatus c) {
    return c.getLabelsOrDefault(RuntimeReader.SANDBOX_ID_KEY, "");
  }

  public static int attempt(ContainerStatus c) {
    try {
      return Integer.parseInt(c.getAnnotationsOrDefault(RuntimeLabels.RESTART_COUNT,
          Integer.toString(c.getMetadata().getAttempt())));
    } catch (NumberFormatException e) {
      return c.getMetadata().getAttempt();
    }
  }
}
