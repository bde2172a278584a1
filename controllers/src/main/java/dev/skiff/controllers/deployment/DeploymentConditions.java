package dev.skiff.controllers.deployment;

import dev.skiff.api.v1.DeploymentCondition;
import dev.skiff.api.v1.DeploymentStatus;
import dev.skiff.api.v1.DeploymentStatusOrBuilder;
import dev.skiff.controllers.Timestamps;
import java.time.Instant;
import java.util.Optional;

/** Deployment condition types, reasons and the rules for setting them (Kubernetes' values). */
public final class DeploymentConditions {
  public static final String AVAILABLE = "Available";
  public static final String PROGRESSING = "Progressing";
  public static final String REPLICA_FAILURE = "ReplicaFailure";

  public static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
  public static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";
  public static final String NEW_RS_CREATED = "NewReplicaSetCreated";
  public static final String FOUND_NEW_RS = "FoundNewReplicaSet";
  public static final String RS_UPDATED = "ReplicaSetUpdated";
  public static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
  public static final String TIMED_OUT = "ProgressDeadlineExceeded";
  public static final String PAUSED = "DeploymentPaused";
  public static final String RESUMED = "DeploymentResumed";
  public static final String FAILED_CREATE = "FailedCreate";

  private DeploymentConditions() {}

  public static DeploymentCondition of(String type, String status, String reason, String message, Instant now) {
    return DeploymentCondition.newBuilder()
        .setType(type).setStatus(status).setReason(reason).setMessage(message)
        .setLastUpdateTime(Timestamps.seconds(now)).setLastTransitionTime(Timestamps.seconds(now))
        .build();
  }

  public static Optional<DeploymentCondition> get(DeploymentStatusOrBuilder status, String type) {
    return status.getConditionsList().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /**
   * Sets {@code c} (Kubernetes' SetDeploymentCondition): no change if a condition of its type has
   * the same status and reason; the transition time is kept when only the reason changes.
   */
  public static void set(DeploymentStatus.Builder status, DeploymentCondition c) {
    Optional<DeploymentCondition> current = get(status, c.getType());
    if (current.isPresent() && current.get().getStatus().equals(c.getStatus())
        && current.get().getReason().equals(c.getReason())) {
      return;
    }
    DeploymentCondition toSet = c;
    if (current.isPresent() && current.get().getStatus().equals(c.getStatus())) {
      toSet = c.toBuilder().setLastTransitionTime(current.get().getLastTransitionTime()).build();
    }
    remove(status, c.getType());
    status.addConditions(toSet);
  }

  public static void remove(DeploymentStatus.Builder status, String type) {
    var kept = status.getConditionsList().stream().filter(x -> !type.equals(x.getType())).toList();
    status.clearConditions().addAllConditions(kept);
  }
}
