package dev.skiff.controllers.deployment;

/**
 * A Kubernetes IntOrString used as a count or a percentage of a total ("1", "25%"), resolved the
 * way Kubernetes does ({@code intstr.GetScaledValueFromIntOrPercent}): a percentage of the total,
 * rounded up or down as the caller asks.
 */
public final class IntOrPercent {
  private IntOrPercent() {}

  /**
   * The value of {@code spec} against {@code total}; an empty {@code spec} means {@code
   * defaultSpec}.
   *
   * @throws IllegalArgumentException if the value is neither a non-negative count nor a
   *     percentage
   */
  public static int resolve(String spec, String defaultSpec, int total, boolean roundUp) {
    String s = spec == null || spec.isBlank() ? defaultSpec : spec.trim();
    try {
      if (s.endsWith("%")) {
        long percent = Long.parseLong(s.substring(0, s.length() - 1));
        if (percent < 0) {
          throw new IllegalArgumentException("negative percentage: " + s);
        }
        long scaled = percent * total;
        return (int) (roundUp ? (scaled + 99) / 100 : scaled / 100);
      }
      int count = Integer.parseInt(s);
      if (count < 0) {
        throw new IllegalArgumentException("negative count: " + s);
      }
      return count;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + s + "' is neither a count nor a percentage such as 25%", e);
    }
  }
}
