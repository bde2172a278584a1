package dev.skiff.scheduler.framework;

import java.util.Set;

/** A PreFilter outcome; {@code nodeNames} non-null restricts the cycle to those nodes. */
public record PreFilterResult(Status status, Set<String> nodeNames) {

  private static final PreFilterResult SUCCESS = new PreFilterResult(Status.success(), null);
  private static final PreFilterResult SKIP = new PreFilterResult(Status.skip(), null);

  public static PreFilterResult success() {
    return SUCCESS;
  }

  public static PreFilterResult skip() {
    return SKIP;
  }

  public static PreFilterResult of(Status status) {
    return new PreFilterResult(status, null);
  }

  public static PreFilterResult onlyNodes(Set<String> nodeNames) {
    return new PreFilterResult(Status.success(), Set.copyOf(nodeNames));
  }
}
