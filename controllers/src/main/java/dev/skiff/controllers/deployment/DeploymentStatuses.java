package dev.skiff.controllers.deployment;

import static dev.skiff.controllers.deployment.DeploymentConditions.AVAILABLE;
import static dev.skiff.controllers.deployment.DeploymentConditions.PROGRESSING;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.DeploymentCondition;
import dev.skiff.api.v1.DeploymentStatus;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.controllers.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A Deployment's status and conditions computed from its ReplicaSets (pure). */
public final class DeploymentStatuses {
  private DeploymentStatuses() {}

  /** Counts and the Available condition (Kubernetes' calculateStatus). */
  public static DeploymentStatus.Builder calculate(Deployment d, List<ReplicaSet> all, ReplicaSet newRs, Instant now) {
    List<ReplicaSet> sets = new ArrayList<>(all);
    int available = Deployments.availableReplicas(sets);
    int total = Deployments.specReplicas(sets);
    DeploymentStatus.Builder s = d.getStatus().toBuilder()
        .setObservedGeneration(d.getMetadata().getGeneration())
        .setReplicas(Deployments.sum(sets, rs -> rs.getStatus().getReplicas()))
        .setUpdatedReplicas(newRs == null ? 0 : newRs.getStatus().getReplicas())
        .setReadyReplicas(Deployments.sum(sets, rs -> rs.getStatus().getReadyReplicas()))
        .setAvailableReplicas(available)
        .setUnavailableReplicas(Math.max(0, total - available));
    if (available >= Deployments.replicas(d) - Deployments.maxUnavailable(d)) {
      DeploymentConditions.set(s, DeploymentConditions.of(AVAILABLE, "True",
          DeploymentConditions.MINIMUM_REPLICAS_AVAILABLE, "Deployment has minimum availability.", now));
    } else {
      DeploymentConditions.set(s, DeploymentConditions.of(AVAILABLE, "False",
          DeploymentConditions.MINIMUM_REPLICAS_UNAVAILABLE, "Deployment does not have minimum availability.", now));
    }
    return s;
  }

  /** Whether the rollout is done: every replica updated and available, at the current generation. */
  public static boolean isComplete(Deployment d, DeploymentStatus.Builder s) {
    int want = Deployments.replicas(d);
    return s.getUpdatedReplicas() == want && s.getReplicas() == want && s.getAvailableReplicas() == want
        && s.getObservedGeneration() >= d.getMetadata().getGeneration();
  }

  /** Whether {@code s} shows progress over the Deployment's recorded status. */
  public static boolean isProgressing(Deployment d, DeploymentStatus.Builder s) {
    DeploymentStatus old = d.getStatus();
    int oldOld = old.getReplicas() - old.getUpdatedReplicas();
    int newOld = s.getReplicas() - s.getUpdatedReplicas();
    return s.getUpdatedReplicas() > old.getUpdatedReplicas() || newOld < oldOld
        || s.getReadyReplicas() > old.getReadyReplicas() || s.getAvailableReplicas() > old.getAvailableReplicas();
  }

  /** Whether the Progressing condition was last updated more than the progress deadline ago. */
  public static boolean isTimedOut(Deployment d, DeploymentStatus.Builder s, Instant now) {
    Optional<Duration> deadline = Deployments.progressDeadline(d);
    Optional<DeploymentCondition> c = DeploymentConditions.get(s, PROGRESSING);
    if (deadline.isEmpty() || c.isEmpty()) {
      return false;
    }
    if (DeploymentConditions.NEW_RS_AVAILABLE.equals(c.get().getReason())) {
      return false;
    }
    if (DeploymentConditions.TIMED_OUT.equals(c.get().getReason())) {
      return true;
    }
    return Timestamps.toInstant(c.get().getLastUpdateTime()).plus(deadline.get()).isBefore(now);
  }

  /**
   * Adds the Progressing condition of a rollout in progress (Kubernetes' syncRolloutStatus):
   * NewReplicaSetAvailable when complete, ReplicaSetUpdated on progress, ProgressDeadlineExceeded
   * when stuck past the deadline.
   */
  public static void applyProgress(Deployment d, DeploymentStatus.Builder s, ReplicaSet newRs, Instant now) {
    if (Deployments.progressDeadline(d).isEmpty()) {
      DeploymentConditions.remove(s, PROGRESSING);
      return;
    }
    Optional<DeploymentCondition> current = DeploymentConditions.get(s, PROGRESSING);
    boolean alreadyComplete = s.getReplicas() == s.getUpdatedReplicas() && current.isPresent()
        && DeploymentConditions.NEW_RS_AVAILABLE.equals(current.get().getReason());
    if (alreadyComplete) {
      return;
    }
    String rsName = newRs == null ? "" : newRs.getMetadata().getName();
    if (isComplete(d, s)) {
      DeploymentConditions.set(s, DeploymentConditions.of(PROGRESSING, "True",
          DeploymentConditions.NEW_RS_AVAILABLE, "ReplicaSet \"" + rsName + "\" has successfully progressed.", now));
    } else if (isProgressing(d, s)) {
      DeploymentCondition c = DeploymentConditions.of(PROGRESSING, "True", DeploymentConditions.RS_UPDATED,
          "ReplicaSet \"" + rsName + "\" is progressing.", now);
      if (current.isPresent() && "True".equals(current.get().getStatus())) {
        c = c.toBuilder().setLastTransitionTime(current.get().getLastTransitionTime()).build();
      }
      DeploymentConditions.remove(s, PROGRESSING);
      s.addConditions(c);
    } else if (isTimedOut(d, s, now)) {
      DeploymentConditions.set(s, DeploymentConditions.of(PROGRESSING, "False",
          DeploymentConditions.TIMED_OUT, "ReplicaSet \"" + rsName + "\" has timed out progressing.", now));
    }
  }

  /** How long until the rollout times out, if it is still running against a deadline. */
  public static Optional<Duration> untilTimeout(Deployment d, DeploymentStatus s, Instant now) {
    Optional<Duration> deadline = Deployments.progressDeadline(d);
    Optional<DeploymentCondition> c = DeploymentConditions.get(s, PROGRESSING);
    if (deadline.isEmpty() || c.isEmpty() || !"True".equals(c.get().getStatus())
        || DeploymentConditions.NEW_RS_AVAILABLE.equals(c.get().getReason())) {
      return Optional.empty();
    }
    Instant at = Timestamps.toInstant(c.get().getLastUpdateTime()).plus(deadline.get()).plusSeconds(1);
    return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
  }
}
