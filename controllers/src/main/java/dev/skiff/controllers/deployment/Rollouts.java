package dev.skiff.controllers.deployment;

import dev.skiff.api.v1.ReplicaSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The decisions of a Deployment sync (Kubernetes' rolling.go, recreate.go and sync.go): each
 * step reads the current state from a {@link DeploymentSync}, makes at most the writes that keep
 * the bounds (total replicas at most replicas + maxSurge, available at least replicas -
 * maxUnavailable), and returns; the ReplicaSets' status changes bring the next sync.
 */
final class Rollouts {
  private Rollouts() {}

  /** RollingUpdate: grow the new ReplicaSet within the surge, then shrink old ones within availability. */
  static Optional<Duration> rolling(DeploymentSync s) {
    s.resolve(true);
    if (reconcileNew(s) || reconcileOld(s)) {
      return s.syncRolloutStatus();
    }
    if (DeploymentStatuses.isComplete(s.deployment(), DeploymentStatuses.calculate(s.deployment(), s.all(), s.newRs(), s.now()))) {
      s.cleanup();
    }
    return s.syncRolloutStatus();
  }

  /**
   * Recreate: scale every old ReplicaSet to zero, wait until no old pod runs, then bring the new
   * ReplicaSet to full size.
   *
   * @param oldPodsRunning whether pods of the given old ReplicaSets still run
   */
  static Optional<Duration> recreate(DeploymentSync s, Predicate<List<ReplicaSet>> oldPodsRunning) {
    s.resolve(false);
    boolean scaledDown = false;
    for (ReplicaSet old : Deployments.active(s.olds())) {
      s.scale(old, 0);
      scaledDown = true;
    }
    if (scaledDown || oldPodsRunning.test(s.olds())) {
      return s.syncRolloutStatus();
    }
    if (!s.hasNew()) {
      s.resolve(true);
    }
    s.scale(s.newRs(), Deployments.replicas(s.deployment()));
    if (DeploymentStatuses.isComplete(s.deployment(), DeploymentStatuses.calculate(s.deployment(), s.all(), s.newRs(), s.now()))) {
      s.cleanup();
    }
    return s.syncRolloutStatus();
  }

  /** Paused or a scaling event: resize without rolling out, then status. */
  static void scaleOnly(DeploymentSync s) {
    s.resolve(false);
    scale(s);
    if (s.deployment().getSpec().getPaused()) {
      s.cleanup();
    }
    s.syncStatus();
  }

  private static boolean reconcileNew(DeploymentSync s) {
    ReplicaSet newRs = s.newRs();
    int want = Deployments.replicas(s.deployment());
    int current = Deployments.replicas(newRs);
    if (current == want) {
      return false;
    }
    if (current > want) {
      s.scale(newRs, want);
      return true;
    }
    int target = RolloutMath.newReplicaSetReplicas(want, Deployments.maxSurge(s.deployment()),
        Deployments.specReplicas(s.all()), current);
    if (target == current) {
      return false;
    }
    s.scale(newRs, target);
    return true;
  }

  private static boolean reconcileOld(DeploymentSync s) {
    if (Deployments.specReplicas(s.olds()) == 0) {
      return false;
    }
    var d = s.deployment();
    ReplicaSet newRs = s.newRs();
    int maxScaledDown = RolloutMath.maxScaledDown(Deployments.replicas(d), Deployments.maxUnavailable(d),
        Deployments.specReplicas(s.all()), Deployments.replicas(newRs), newRs.getStatus().getAvailableReplicas());
    if (maxScaledDown <= 0) {
      return false;
    }
    int cleaned = cleanupUnhealthy(s, maxScaledDown);
    int scaled = scaleDownOldAvailable(s);
    return cleaned + scaled > 0;
  }

  /** Scales down old ReplicaSets' unavailable replicas first: losing them costs no availability. */
  private static int cleanupUnhealthy(DeploymentSync s, int budget) {
    int total = 0;
    for (ReplicaSet rs : s.olds().stream().sorted(Deployments.OLDEST_FIRST).toList()) {
      if (total >= budget) {
        break;
      }
      int spec = Deployments.replicas(rs);
      int unhealthy = spec - rs.getStatus().getAvailableReplicas();
      if (spec == 0 || unhealthy <= 0) {
        continue;
      }
      int n = Math.min(budget - total, unhealthy);
      s.scale(rs, spec - n);
      total += n;
    }
    return total;
  }

  /** Scales down old ReplicaSets, oldest first, while available pods stay above the minimum. */
  private static int scaleDownOldAvailable(DeploymentSync s) {
    var d = s.deployment();
    int minAvailable = Deployments.replicas(d) - Deployments.maxUnavailable(d);
    int available = Deployments.availableReplicas(s.all());
    if (available <= minAvailable) {
      return 0;
    }
    int budget = available - minAvailable;
    int total = 0;
    for (ReplicaSet rs : s.olds().stream().sorted(Deployments.OLDEST_FIRST).toList()) {
      if (total >= budget) {
        break;
      }
      int spec = Deployments.replicas(rs);
      if (spec == 0) {
        continue;
      }
      int n = Math.min(spec, budget - total);
      s.scale(rs, spec - n);
      total += n;
    }
    return total;
  }

  /**
   * Kubernetes' scale(): one active ReplicaSet takes the new size; a saturated new ReplicaSet
   * lets the old ones go; otherwise the change is spread in proportion over the active ones.
   */
  private static void scale(DeploymentSync s) {
    var d = s.deployment();
    int want = Deployments.replicas(d);
    List<ReplicaSet> active = Deployments.active(s.all());
    if (active.size() <= 1) {
      ReplicaSet target = active.isEmpty() ? latest(s) : active.get(0);
      if (target != null) {
        s.scale(target, want);
      }
      return;
    }
    ReplicaSet newRs = s.newRs();
    if (newRs != null && Revisions.desiredReplicas(newRs.getMetadata()) == want
        && Deployments.replicas(newRs) == want && newRs.getStatus().getAvailableReplicas() == want) {
      for (ReplicaSet old : Deployments.active(s.olds())) {
        s.scale(old, 0);
      }
      return;
    }
    if (!Deployments.isRollingUpdate(d)) {
      return;
    }
    int allowed = want > 0 ? want + Deployments.maxSurge(d) : 0;
    int delta = allowed - Deployments.specReplicas(active);
    Comparator<ReplicaSet> bySize = Comparator.comparingInt((ReplicaSet rs) -> Deployments.replicas(rs)).reversed();
    Comparator<ReplicaSet> order = delta > 0
        ? bySize.thenComparing(Deployments.OLDEST_FIRST.reversed())
        : bySize.thenComparing(Deployments.OLDEST_FIRST);
    List<ReplicaSet> sorted = new ArrayList<>(active);
    sorted.sort(order);
    int[] shares = RolloutMath.proportionalShares(sorted.stream().map(Deployments::replicas).toList(), delta);
    for (int i = 0; i < sorted.size(); i++) {
      ReplicaSet rs = sorted.get(i);
      s.scale(rs, Deployments.replicas(rs) + shares[i]);
    }
  }

  private static ReplicaSet latest(DeploymentSync s) {
    if (s.newRs() != null) {
      return s.newRs();
    }
    return s.olds().stream().max(Deployments.OLDEST_FIRST).orElse(null);
  }
}
