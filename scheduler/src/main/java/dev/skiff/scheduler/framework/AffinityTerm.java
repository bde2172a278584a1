package dev.skiff.scheduler.framework;

import dev.skiff.api.v1.LabelSelector;
import dev.skiff.api.v1.LabelSelectorRequirement;
import dev.skiff.api.v1.PodAffinityTerm;
import dev.skiff.client.api.LabelMatcher;
import dev.skiff.client.api.LabelRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled pod (anti-)affinity term: which pods it selects (labels and namespaces) and the
 * topology key that groups nodes into domains. {@code weight} is 0 for required terms.
 *
 * <p>{@code allNamespaces} is set by an empty {@code namespaceSelector} ({}); a non-empty
 * namespace selector is not supported (the scheduler keeps no namespace labels) and selects the
 * listed namespaces only.
 */
public record AffinityTerm(LabelMatcher selector, Set<String> namespaces, boolean allNamespaces,
    String topologyKey, int weight) {

  public static AffinityTerm compile(PodAffinityTerm term, String podNamespace,
      Map<String, String> podLabels, int weight) {
    List<LabelRequirement> reqs = new ArrayList<>(requirements(term.getLabelSelector()));
    for (String key : term.getMatchLabelKeysList()) {
      String value = podLabels.get(key);
      if (value != null) {
        reqs.add(new LabelRequirement(key, LabelRequirement.Operator.IN, List.of(value)));
      }
    }
    for (String key : term.getMismatchLabelKeysList()) {
      String value = podLabels.get(key);
      if (value != null) {
        reqs.add(new LabelRequirement(key, LabelRequirement.Operator.NOT_IN, List.of(value)));
      }
    }
    // A term without a label selector selects no pods (Kubernetes: nil selector matches nothing).
    LabelMatcher matcher = term.hasLabelSelector() ? new LabelMatcher(reqs) : null;
    Set<String> namespaces = term.getNamespacesList().isEmpty() && !term.hasNamespaceSelector()
        ? Set.of(podNamespace) : Set.copyOf(term.getNamespacesList());
    boolean all = term.hasNamespaceSelector()
        && term.getNamespaceSelector().getMatchLabelsCount() == 0
        && term.getNamespaceSelector().getMatchExpressionsCount() == 0;
    return new AffinityTerm(matcher, namespaces, all, term.getTopologyKey(), weight);
  }

  /** Whether this term selects {@code pod}. */
  public boolean matches(PodInfo pod) {
    return selector != null
        && (allNamespaces || namespaces.contains(pod.namespace()))
        && selector.matches(pod.labels());
  }

  /** A LabelSelector message as client requirements (matchLabels are Equals). */
  public static List<LabelRequirement> requirements(LabelSelector selector) {
    List<LabelRequirement> reqs = new ArrayList<>();
    selector.getMatchLabelsMap().forEach((k, v) ->
        reqs.add(new LabelRequirement(k, LabelRequirement.Operator.EQUALS, List.of(v))));
    for (LabelSelectorRequirement r : selector.getMatchExpressionsList()) {
      LabelRequirement.Operator op = switch (r.getOperator()) {
        case "In" -> LabelRequirement.Operator.IN;
        case "NotIn" -> LabelRequirement.Operator.NOT_IN;
        case "Exists" -> LabelRequirement.Operator.EXISTS;
        case "DoesNotExist" -> LabelRequirement.Operator.DOES_NOT_EXIST;
        default -> throw new IllegalArgumentException(
            "unknown label selector operator '" + r.getOperator() + "' on key '" + r.getKey() + "'");
      };
      reqs.add(new LabelRequirement(r.getKey(), op, r.getValuesList()));
    }
    return reqs;
  }

  public static LabelMatcher matcher(LabelSelector selector) {
    return new LabelMatcher(requirements(selector));
  }
}
