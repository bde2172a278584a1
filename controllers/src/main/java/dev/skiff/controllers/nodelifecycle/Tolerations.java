package dev.skiff.controllers.nodelifecycle;

import dev.skiff.api.v1.Taint;
import dev.skiff.api.v1.Toleration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Which taints a pod tolerates and for how long (Kubernetes' taint-manager rules). */
public final class Tolerations {
  public static final String NO_EXECUTE = "NoExecute";

  private Tolerations() {}

  /** Whether {@code toleration} tolerates {@code taint} (Kubernetes' {@code ToleratesTaint}). */
  public static boolean tolerates(Toleration toleration, Taint taint) {
    if (!toleration.getEffect().isEmpty() && !toleration.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if (!toleration.getKey().isEmpty() && !toleration.getKey().equals(taint.getKey())) {
      return false;
    }
    return switch (toleration.getOperator()) {
      case "Exists" -> true;
      case "", "Equal" -> !toleration.getKey().isEmpty() && toleration.getValue().equals(taint.getValue());
      default -> false;
    };
  }

  /**
   * How long a pod with {@code tolerations} may stay on a node with these {@code noExecuteTaints}:
   * zero if one taint is not tolerated, empty if all are tolerated forever, otherwise the
   * smallest tolerationSeconds among the tolerations used (negative counts as zero).
   */
  public static Optional<Duration> timeAllowed(List<Toleration> tolerations, List<Taint> noExecuteTaints) {
    Optional<Duration> min = Optional.empty();
    for (Taint taint : noExecuteTaints) {
      boolean tolerated = false;
      for (Toleration t : tolerations) {
        if (!tolerates(t, taint)) {
          continue;
        }
        tolerated = true;
        if (t.hasTolerationSeconds()) {
          Duration d = Duration.ofSeconds(Math.max(0, t.getTolerationSeconds()));
          if (min.isEmpty() || d.compareTo(min.get()) < 0) {
            min = Optional.of(d);
          }
        }
      }
      if (!tolerated) {
        return Optional.of(Duration.ZERO);
      }
    }
    return min;
  }

  /**
   * {@code tolerations} plus, for each of {@code taintKeys} that none of them tolerates as a
   * NoExecute taint, an Exists toleration of {@code seconds} (what Kubernetes' DefaultTolerationSeconds
   * admission adds at creation; applied here too in case the pod was created without it).
   */
  public static List<Toleration> withDefaults(List<Toleration> tolerations, List<String> taintKeys, long seconds) {
    List<Toleration> out = new ArrayList<>(tolerations);
    for (String key : taintKeys) {
      Taint probe = Taint.newBuilder().setKey(key).setEffect(NO_EXECUTE).build();
      if (tolerations.stream().noneMatch(t -> tolerates(t, probe))) {
        out.add(Toleration.newBuilder().setKey(key).setOperator("Exists").setEffect(NO_EXECUTE)
            .setTolerationSeconds(seconds).build());
      }
    }
    return out;
  }
}
