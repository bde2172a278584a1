package dev.skiff.client.api;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A parsed label selector: matches a set of labels when every requirement holds. No
 * requirements matches everything. Built by {@link LabelSelectors}. Immutable and thread-safe.
 *
 * @param requirements the requirements, sorted by key (the canonical order of Kubernetes)
 */
public record LabelMatcher(List<LabelRequirement> requirements)
    implements Predicate<Map<String, String>> {

  /** Matches every set of labels. */
  public static final LabelMatcher EVERYTHING = new LabelMatcher(List.of());

  public LabelMatcher {
    requirements =
        requirements.stream()
            .sorted(Comparator.comparing(LabelRequirement::key))
            .collect(Collectors.toUnmodifiableList());
  }

  /** Whether {@code labels} satisfies every requirement. */
  public boolean matches(Map<String, String> labels) {
    for (LabelRequirement requirement : requirements) {
      if (!requirement.matches(labels)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean test(Map<String, String> labels) {
    return matches(labels);
  }

  public boolean isEverything() {
    return requirements.isEmpty();
  }

  /** The selector in string syntax, parseable by {@link LabelSelectors#parse}. */
  @Override
  public String toString() {
    return requirements.stream().map(LabelRequirement::toString).collect(Collectors.joining(","));
  }
}
