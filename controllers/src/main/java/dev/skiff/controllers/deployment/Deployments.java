package dev.skiff.controllers.deployment;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.controllers.Timestamps;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToIntFunction;

/** Questions about a Deployment's spec and its ReplicaSets, with Kubernetes' defaults (pure). */
public final class Deployments {
  public static final String ROLLING_UPDATE = "RollingUpdate";
  public static final String RECREATE = "Recreate";
  static final int DEFAULT_HISTORY_LIMIT = 10;
  static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

  /** Oldest first, then by name: the order old ReplicaSets are scaled down in. */
  public static final Comparator<ReplicaSet> OLDEST_FIRST = Comparator
      .comparing((ReplicaSet rs) -> Timestamps.toInstant(rs.getMetadata().getCreationTimestamp()))
      .thenComparing(rs -> rs.getMetadata().getName());

  private Deployments() {}

  public static int replicas(Deployment d) {
    return d.getSpec().hasReplicas() ? d.getSpec().getReplicas() : 1;
  }

  public static int replicas(ReplicaSet rs) {
    return rs.getSpec().hasReplicas() ? rs.getSpec().getReplicas() : 1;
  }

  public static boolean isRecreate(Deployment d) {
    return RECREATE.equals(d.getSpec().getStrategy().getType());
  }

  public static boolean isRollingUpdate(Deployment d) {
    return !isRecreate(d);
  }

  /** The resolved maxSurge and maxUnavailable (both 0 for Recreate). */
  public static RolloutMath.Fenceposts fenceposts(Deployment d) {
    if (!isRollingUpdate(d)) {
      return new RolloutMath.Fenceposts(0, 0);
    }
    var ru = d.getSpec().getStrategy().getRollingUpdate();
    return RolloutMath.fenceposts(ru.getMaxSurge(), ru.getMaxUnavailable(), replicas(d));
  }

  public static int maxSurge(Deployment d) {
    return fenceposts(d).maxSurge();
  }

  /** Kubernetes' MaxUnavailable: 0 for Recreate or zero replicas, never above replicas. */
  public static int maxUnavailable(Deployment d) {
    if (!isRollingUpdate(d) || replicas(d) == 0) {
      return 0;
    }
    return fenceposts(d).maxUnavailable();
  }

  /** The progress deadline; empty when disabled (set to the largest int, as in Kubernetes). */
  public static Optional<Duration> progressDeadline(Deployment d) {
    int s = d.getSpec().hasProgressDeadlineSeconds()
        ? d.getSpec().getProgressDeadlineSeconds() : DEFAULT_PROGRESS_DEADLINE_SECONDS;
    return s == Integer.MAX_VALUE ? Optional.empty() : Optional.of(Duration.ofSeconds(s));
  }

  public static int historyLimit(Deployment d) {
    return d.getSpec().hasRevisionHistoryLimit() ? d.getSpec().getRevisionHistoryLimit() : DEFAULT_HISTORY_LIMIT;
  }

  /** The oldest ReplicaSet whose template equals the Deployment's, the hash label aside. */
  public static Optional<ReplicaSet> findNew(Deployment d, Collection<ReplicaSet> sets) {
    return sets.stream()
        .sorted(OLDEST_FIRST)
        .filter(rs -> PodTemplateHash.equalIgnoringHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
        .findFirst();
  }

  /** Those with spec.replicas above zero. */
  public static List<ReplicaSet> active(Collection<ReplicaSet> sets) {
    return sets.stream().filter(Objects::nonNull).filter(rs -> replicas(rs) > 0).toList();
  }

  public static int sum(Collection<ReplicaSet> sets, ToIntFunction<ReplicaSet> f) {
    return sets.stream().filter(Objects::nonNull).mapToInt(f).sum();
  }

  public static int specReplicas(Collection<ReplicaSet> sets) {
    return sum(sets, Deployments::replicas);
  }

  public static int availableReplicas(Collection<ReplicaSet> sets) {
    return sum(sets, rs -> rs.getStatus().getAvailableReplicas());
  }
}
