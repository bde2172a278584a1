package dev.skiff.controllers.replicaset;

import dev.skiff.api.v1.Pod;
import dev.skiff.controllers.Timestamps;
import dev.skiff.controllers.pods.Pods;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The order in which a ReplicaSet gives up surplus pods, cheapest loss first (Kubernetes'
 * {@code ActivePodsWithRanks}): unassigned before assigned, Pending before Unknown before
 * Running, not ready before ready, pods doubled up on a node before lone ones, ready for a
 * shorter time first, more restarts first, newest first.
 */
public final class PodDeletionOrder {
  private PodDeletionOrder() {}

  /** The first {@code count} pods of {@code pods} to delete. */
  public static List<Pod> victims(List<Pod> pods, int count) {
    Map<String, Long> perNode = pods.stream()
        .filter(p -> !p.getSpec().getNodeName().isEmpty())
        .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName(), Collectors.counting()));
    return pods.stream().sorted(comparator(perNode)).limit(Math.max(0, count)).toList();
  }

  /** Sorts cheapest-to-lose first, given how many of the candidate pods share each node. */
  static Comparator<Pod> comparator(Map<String, Long> podsPerNode) {
    Comparator<Pod> assigned = Comparator.comparing(p -> !p.getSpec().getNodeName().isEmpty());
    Comparator<Pod> phase = Comparator.comparingInt(PodDeletionOrder::phaseRank);
    Comparator<Pod> ready = Comparator.comparing(Pods::isReady);
    Comparator<Pod> crowded = Comparator.comparingLong(
        (Pod p) -> podsPerNode.getOrDefault(p.getSpec().getNodeName(), 0L)).reversed();
    Comparator<Pod> readyLonger = Comparator.comparing(
        (Pod p) -> Pods.readySince(p).orElse(Instant.MAX)).reversed();
    Comparator<Pod> restarts = Comparator.comparingInt(Pods::restarts).reversed();
    Comparator<Pod> newest = Comparator.comparing(
        (Pod p) -> Timestamps.toInstant(p.getMetadata().getCreationTimestamp())).reversed();
    return assigned.thenComparing(phase).thenComparing(ready).thenComparing(crowded)
        .thenComparing(readyLonger).thenComparing(restarts).thenComparing(newest)
        .thenComparing(p -> p.getMetadata().getName());
  }

  private static int phaseRank(Pod p) {
    return switch (p.getStatus().getPhase()) {
      case "Pending", "" -> 0;
      case "Unknown" -> 1;
      case "Running" -> 2;
      default -> 3;
    };
  }
}
