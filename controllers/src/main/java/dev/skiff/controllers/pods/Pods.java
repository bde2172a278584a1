package dev.skiff.controllers.pods;

import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import dev.skiff.controllers.Timestamps;
import java.time.Instant;
import java.util.Optional;

/** Questions controllers ask about a pod's state. */
public final class Pods {
  public static final String READY = "Ready";

  private Pods() {}

  /** Not finished (Succeeded/Failed) and not being deleted: it counts toward its owner's replicas. */
  public static boolean isActive(Pod pod) {
    String phase = pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase) && !isTerminating(pod);
  }

  public static boolean isTerminating(Pod pod) {
    return pod.getMetadata().hasDeletionTimestamp();
  }

  public static Optional<PodCondition> readyCondition(Pod pod) {
    for (PodCondition c : pod.getStatus().getConditionsList()) {
      if (READY.equals(c.getType())) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** Its Ready condition is True. */
  public static boolean isReady(Pod pod) {
    return readyCondition(pod).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** When the pod last became ready, if it is ready. */
  public static Optional<Instant> readySince(Pod pod) {
    return readyCondition(pod)
        .filter(c -> "True".equals(c.getStatus()))
        .map(c -> c.hasLastTransitionTime() ? Timestamps.toInstant(c.getLastTransitionTime()) : Instant.EPOCH);
  }

  /** Ready for at least {@code minReadySeconds} at {@code now} (Kubernetes' IsPodAvailable). */
  public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
    Optional<Instant> since = readySince(pod);
    if (since.isEmpty()) {
      return false;
    }
    return minReadySeconds <= 0 || !since.get().plusSeconds(minReadySeconds).isAfter(now);
  }

  public static int restarts(Pod pod) {
    return pod.getStatus().getContainerStatusesList().stream().mapToInt(s -> s.getRestartCount()).sum();
  }
}
