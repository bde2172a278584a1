package dev.skiff.controllers.replicaset;

import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.api.v1.ReplicaSetCondition;
import dev.skiff.api.v1.ReplicaSetStatus;
import dev.skiff.controllers.Timestamps;
import dev.skiff.controllers.ownership.Selectors;
import dev.skiff.controllers.pods.Pods;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A ReplicaSet's status computed from the pods it owns (pure). */
public final class ReplicaSetStatuses {
  public static final String REPLICA_FAILURE = "ReplicaFailure";

  private ReplicaSetStatuses() {}

  /**
   * The status for {@code rs} owning the active pods {@code pods} at {@code now}.
   *
   * @param failure the message of a failed create or delete this sync, or null; sets or clears
   *     the ReplicaFailure condition
   */
  public static ReplicaSetStatus compute(ReplicaSet rs, List<Pod> pods, Instant now, String failure, String failureReason) {
    int minReady = rs.getSpec().getMinReadySeconds();
    var templateLabels = rs.getSpec().getTemplate().getMetadata().getLabelsMap();
    ReplicaSetStatus.Builder s = rs.getStatus().toBuilder()
        .setReplicas(pods.size())
        .setFullyLabeledReplicas((int) pods.stream()
            .filter(p -> Selectors.containsAll(p.getMetadata().getLabelsMap(), templateLabels)).count())
        .setReadyReplicas((int) pods.stream().filter(Pods::isReady).count())
        .setAvailableReplicas((int) pods.stream().filter(p -> Pods.isAvailable(p, minReady, now)).count())
        .setObservedGeneration(rs.getMetadata().getGeneration());
    Optional<ReplicaSetCondition> existing = s.getConditionsList().stream()
        .filter(c -> REPLICA_FAILURE.equals(c.getType())).findFirst();
    if (failure != null && existing.isEmpty()) {
      s.addConditions(ReplicaSetCondition.newBuilder().setType(REPLICA_FAILURE).setStatus("True")
          .setReason(failureReason).setMessage(failure).setLastTransitionTime(Timestamps.seconds(now)));
    } else if (failure == null && existing.isPresent()) {
      List<ReplicaSetCondition> kept = s.getConditionsList().stream()
          .filter(c -> !REPLICA_FAILURE.equals(c.getType())).toList();
      s.clearConditions().addAllConditions(kept);
    }
    return s.build();
  }

  /**
   * When the next ready-but-not-yet-available pod becomes available, if any: the controller
   * looks again then, since no event marks that moment.
   */
  public static Optional<Duration> untilNextAvailable(ReplicaSet rs, List<Pod> pods, Instant now) {
    int minReady = rs.getSpec().getMinReadySeconds();
    if (minReady <= 0) {
      return Optional.empty();
    }
    return pods.stream()
        .map(Pods::readySince)
        .flatMap(Optional::stream)
        .map(since -> since.plusSeconds(minReady))
        .filter(at -> at.isAfter(now))
        .min(Instant::compareTo)
        .map(at -> Duration.between(now, at));
  }
}
