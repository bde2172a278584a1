package dev.skiff.scheduler.framework.plugins;

import dev.skiff.api.v1.Taint;
import dev.skiff.api.v1.Toleration;
import java.util.List;

/** Kubernetes' toleration matching rules. */
public final class Tolerations {
  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
  public static final String NO_EXECUTE = "NoExecute";

  private Tolerations() {}

  /**
   * Whether the toleration tolerates the taint: same effect (or any when the toleration names
   * none), same key (or any when empty with Exists), and Exists or an equal value.
   */
  public static boolean tolerates(Toleration t, Taint taint) {
    if (!t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if (!t.getKey().isEmpty() && !t.getKey().equals(taint.getKey())) {
      return false;
    }
    return switch (t.getOperator()) {
      case "Exists" -> true;
      case "", "Equal" -> !t.getKey().isEmpty() && t.getValue().equals(taint.getValue());
      default -> false;
    };
  }

  public static boolean tolerated(List<Toleration> tolerations, Taint taint) {
    for (Toleration t : tolerations) {
      if (tolerates(t, taint)) {
        return true;
      }
    }
    return false;
  }

  /** The first NoSchedule/NoExecute taint not tolerated, or null. */
  public static Taint firstUntolerated(List<Taint> taints, List<Toleration> tolerations) {
    for (Taint taint : taints) {
      if ((NO_SCHEDULE.equals(taint.getEffect()) || NO_EXECUTE.equals(taint.getEffect()))
          && !tolerated(tolerations, taint)) {
        return taint;
      }
    }
    return null;
  }

  /** "{key: value}" as Kubernetes prints a taint in scheduling messages. */
  public static String describe(Taint taint) {
    return "{" + taint.getKey() + ": " + taint.getValue() + "}";
  }
}
