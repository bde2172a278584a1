package dev.skiff.controllers.deployment;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.ReplicaSet;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The annotations a Deployment keeps on itself and its ReplicaSets: the revision number, the
 * revisions a reused ReplicaSet had before, and the replica counts the ReplicaSet was last scaled
 * for (which tell a scaling event from a rollout).
 */
public final class Revisions {
  public static final String REVISION = "deployment.kubernetes.io/revision";
  public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  /** Annotations of a Deployment that are not copied to its ReplicaSets. */
  private static final Set<String> NOT_COPIED = Set.of(REVISION, REVISION_HISTORY, DESIRED_REPLICAS,
      MAX_REPLICAS, "kubectl.kubernetes.io/last-applied-configuration");

  private Revisions() {}

  /** The revision in {@code meta}'s annotations; 0 when absent or not a number. */
  public static long of(ObjectMeta meta) {
    String v = meta.getAnnotationsMap().get(REVISION);
    if (v == null) {
      return 0;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  public static long max(Collection<ReplicaSet> sets) {
    return sets.stream().mapToLong(rs -> of(rs.getMetadata())).max().orElse(0);
  }

  /**
   * The ReplicaSet metadata after making it the new one of {@code d} at {@code newRevision}:
   * the Deployment's annotations copied, the revision raised (never lowered) with the old one
   * appended to the revision history.
   */
  public static ObjectMeta forNewReplicaSet(Deployment d, ObjectMeta rs, long newRevision) {
    ObjectMeta.Builder b = rs.toBuilder();
    for (Map.Entry<String, String> e : d.getMetadata().getAnnotationsMap().entrySet()) {
      if (!NOT_COPIED.contains(e.getKey())) {
        b.putAnnotations(e.getKey(), e.getValue());
      }
    }
    long old = of(rs);
    if (old < newRevision) {
      b.putAnnotations(REVISION, Long.toString(newRevision));
      if (old > 0) {
        Set<String> history = new LinkedHashSet<>();
        String existing = rs.getAnnotationsMap().getOrDefault(REVISION_HISTORY, "");
        if (!existing.isBlank()) {
          history.addAll(List.of(existing.split(",")));
        }
        history.add(Long.toString(old));
        b.putAnnotations(REVISION_HISTORY, String.join(",", history));
      }
    }
    return b.build();
  }

  /** {@code meta} with the replica annotations a Deployment scaled it for. */
  public static ObjectMeta withReplicaAnnotations(ObjectMeta meta, int desired, int max) {
    return meta.toBuilder()
        .putAnnotations(DESIRED_REPLICAS, Integer.toString(desired))
        .putAnnotations(MAX_REPLICAS, Integer.toString(max))
        .build();
  }

  /** Whether the replica annotations differ from {@code desired} and {@code max}. */
  public static boolean replicaAnnotationsDiffer(ObjectMeta meta, int desired, int max) {
    Map<String, String> a = meta.getAnnotationsMap();
    return !Integer.toString(desired).equals(a.get(DESIRED_REPLICAS))
        || !Integer.toString(max).equals(a.get(MAX_REPLICAS));
  }

  /** The desired-replicas annotation, or -1 when absent. */
  public static int desiredReplicas(ObjectMeta meta) {
    try {
      return Integer.parseInt(meta.getAnnotationsMap().getOrDefault(DESIRED_REPLICAS, "-1"));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
