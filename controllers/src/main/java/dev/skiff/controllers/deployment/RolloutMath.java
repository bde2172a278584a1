package dev.skiff.controllers.deployment;

import java.util.List;

/**
 * The arithmetic of a rolling update, on plain numbers (Kubernetes'
 * {@code deployment/util} ResolveFenceposts, NewRSNewReplicas and the old-ReplicaSet scale-down
 * budget), so every rule is table-tested apart from the API.
 */
public final class RolloutMath {
  /** Kubernetes' default for both maxSurge and maxUnavailable. */
  public static final String DEFAULT_PERCENT = "25%";

  private RolloutMath() {}

  /** The resolved bounds of a rolling update of {@code replicas} pods. */
  public record Fenceposts(int maxSurge, int maxUnavailable) {}

  /**
   * Resolves maxSurge (rounded up) and maxUnavailable (rounded down) against {@code replicas}. If
   * both come out zero, maxUnavailable becomes 1 so the rollout can make progress; maxUnavailable
   * never exceeds {@code replicas}.
   */
  public static Fenceposts fenceposts(String maxSurge, String maxUnavailable, int replicas) {
    int surge = IntOrPercent.resolve(maxSurge, DEFAULT_PERCENT, replicas, true);
    int unavailable = IntOrPercent.resolve(maxUnavailable, DEFAULT_PERCENT, replicas, false);
    if (surge == 0 && unavailable == 0) {
      unavailable = 1;
    }
    return new Fenceposts(surge, Math.min(unavailable, replicas));
  }

  /**
   * The replicas the new ReplicaSet may have now: grow it toward {@code replicas} without the sum
   * of all ReplicaSets' replicas exceeding {@code replicas + maxSurge}.
   *
   * @param totalCurrent the sum of spec.replicas over every ReplicaSet, the new one included
   */
  public static int newReplicaSetReplicas(int replicas, int maxSurge, int totalCurrent, int newCurrent) {
    if (newCurrent >= replicas) {
      return replicas;
    }
    int maxTotal = replicas + maxSurge;
    if (totalCurrent >= maxTotal) {
      return newCurrent;
    }
    int scaleUp = Math.min(maxTotal - totalCurrent, replicas - newCurrent);
    return newCurrent + scaleUp;
  }

  /**
   * How many old pods may go now without available pods dropping below {@code replicas -
   * maxUnavailable}, counting the new ReplicaSet's not-yet-available pods as unavailable.
   *
   * @param totalCurrent the sum of spec.replicas over every ReplicaSet
   * @param newSpec the new ReplicaSet's spec.replicas
   * @param newAvailable the new ReplicaSet's status.availableReplicas
   */
  public static int maxScaledDown(int replicas, int maxUnavailable, int totalCurrent, int newSpec, int newAvailable) {
    int minAvailable = replicas - maxUnavailable;
    int newUnavailable = Math.max(0, newSpec - newAvailable);
    return totalCurrent - minAvailable - newUnavailable;
  }

  /**
   * Splits {@code delta} (positive: scale up, negative: scale down) over ReplicaSets of the given
   * sizes in proportion to their size, Kubernetes' proportional scaling: each gets its rounded-down
   * share, and what rounding leaves over goes to the first (the caller orders newest or largest
   * first). With all sizes zero, everything goes to the first.
   *
   * @return the change for each ReplicaSet, in the same order
   */
  public static int[] proportionalShares(List<Integer> sizes, int delta) {
    int[] shares = new int[sizes.size()];
    if (sizes.isEmpty() || delta == 0) {
      return shares;
    }
    long total = sizes.stream().mapToLong(Integer::longValue).sum();
    int given = 0;
    if (total > 0) {
      for (int i = 0; i < sizes.size(); i++) {
        int share = (int) (sizes.get(i) * (long) delta / total);
        if (delta < 0) {
          share = Math.max(share, -sizes.get(i));
        }
        shares[i] = share;
        given += share;
      }
    }
    int leftover = delta - given;
    for (int i = 0; i < shares.length && leftover != 0; i++) {
      if (leftover > 0) {
        shares[i] += leftover;
        leftover = 0;
      } else {
        int room = sizes.get(i) + shares[i];
        int take = Math.min(room, -leftover);
        shares[i] -= take;
        leftover += take;
      }
    }
    return shares;
  }
}
