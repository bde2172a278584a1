package dev.skiff.controllers.ownership;

import dev.skiff.api.v1.LabelSelector;
import dev.skiff.client.api.LabelSelectors;
import java.util.Map;
import java.util.function.Predicate;

/** Label selector questions controllers ask, over the client's {@link LabelSelectors}. */
public final class Selectors {
  private Selectors() {}

  /** Whether {@code selector} selects nothing in particular (Kubernetes forbids it on controllers). */
  public static boolean isEmpty(LabelSelector selector) {
    return selector.getMatchLabelsCount() == 0 && selector.getMatchExpressionsCount() == 0;
  }

  /**
   * A predicate true for the label maps {@code selector} selects. A malformed selector (the
   * apiserver validates, so only a bug gets here) selects nothing rather than everything.
   */
  public static Predicate<Map<String, String>> matcher(LabelSelector selector) {
    try {
      return LabelSelectors.fromMessage(selector);
    } catch (IllegalArgumentException e) {
      return labels -> false;
    }
  }

  /** Whether {@code subset}'s entries all appear in {@code labels}. */
  public static boolean containsAll(Map<String, String> labels, Map<String, String> subset) {
    return subset.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}
