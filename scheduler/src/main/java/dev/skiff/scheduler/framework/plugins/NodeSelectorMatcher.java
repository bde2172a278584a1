package dev.skiff.scheduler.framework.plugins;

import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeSelector;
import dev.skiff.api.v1.NodeSelectorRequirement;
import dev.skiff.api.v1.NodeSelectorTerm;
import dev.skiff.client.api.LabelMatcher;
import dev.skiff.client.api.LabelRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled node selector (required node affinity, or a preferred term): terms are ORed, the
 * requirements inside a term ANDed. {@code matchFields} supports {@code metadata.name} (In, NotIn)
 * like Kubernetes. A term that is empty or malformed matches no node. Immutable.
 */
public final class NodeSelectorMatcher {
  public static final String NAME_FIELD = "metadata.name";

  /** One ANDed term; null label matcher or field requirement means the term never matches. */
  private record Term(LabelMatcher labels, List<LabelRequirement> fields) {
    boolean matches(Map<String, String> nodeLabels, String nodeName) {
      if (labels == null) {
        return false;
      }
      if (!labels.matches(nodeLabels)) {
        return false;
      }
      if (!fields.isEmpty()) {
        Map<String, String> f = Map.of(NAME_FIELD, nodeName);
        for (LabelRequirement r : fields) {
          if (!r.matches(f)) {
            return false;
          }
        }
      }
      return true;
    }
  }

  private final List<Term> terms;

  private NodeSelectorMatcher(List<Term> terms) {
    this.terms = terms;
  }

  public static NodeSelectorMatcher compile(NodeSelector selector) {
    List<Term> terms = new ArrayList<>();
    for (NodeSelectorTerm t : selector.getNodeSelectorTermsList()) {
      terms.add(compileTerm(t));
    }
    return new NodeSelectorMatcher(List.copyOf(terms));
  }

  public static NodeSelectorMatcher compile(NodeSelectorTerm term) {
    return new NodeSelectorMatcher(List.of(compileTerm(term)));
  }

  public boolean matches(Node node) {
    return matches(node.getMetadata().getLabelsMap(), node.getMetadata().getName());
  }

  public boolean matches(Map<String, String> labels, String nodeName) {
    for (Term t : terms) {
      if (t.matches(labels, nodeName)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The node names this selector is limited to when every term pins {@code metadata.name} with
   * In; null when it may match any node.
   */
  public static Set<String> pinnedNodeNames(NodeSelector selector) {
    java.util.HashSet<String> names = new java.util.HashSet<>();
    for (NodeSelectorTerm t : selector.getNodeSelectorTermsList()) {
      List<String> pinned = null;
      for (NodeSelectorRequirement r : t.getMatchFieldsList()) {
        if (NAME_FIELD.equals(r.getKey()) && "In".equals(r.getOperator())) {
          pinned = r.getValuesList();
        }
      }
      if (pinned == null) {
        return null;
      }
      names.addAll(pinned);
    }
    return names.isEmpty() ? null : names;
  }

  private static Term compileTerm(NodeSelectorTerm t) {
    if (t.getMatchExpressionsCount() == 0 && t.getMatchFieldsCount() == 0) {
      return new Term(null, List.of());
    }
    try {
      List<LabelRequirement> labels = new ArrayList<>();
      for (NodeSelectorRequirement r : t.getMatchExpressionsList()) {
        labels.add(requirement(r));
      }
      List<LabelRequirement> fields = new ArrayList<>();
      for (NodeSelectorRequirement r : t.getMatchFieldsList()) {
        if (!NAME_FIELD.equals(r.getKey())) {
          return new Term(null, List.of());
        }
        fields.add(requirement(r));
      }
      return new Term(new LabelMatcher(labels), List.copyOf(fields));
    } catch (IllegalArgumentException malformed) {
      return new Term(null, List.of());
    }
  }

  private static LabelRequirement requirement(NodeSelectorRequirement r) {
    LabelRequirement.Operator op = switch (r.getOperator()) {
      case "In" -> LabelRequirement.Operator.IN;
      case "NotIn" -> LabelRequirement.Operator.NOT_IN;
      case "Exists" -> LabelRequirement.Operator.EXISTS;
      case "DoesNotExist" -> LabelRequirement.Operator.DOES_NOT_EXIST;
      case "Gt" -> LabelRequirement.Operator.GREATER_THAN;
      case "Lt" -> LabelRequirement.Operator.LESS_THAN;
      default -> throw new IllegalArgumentException("unknown operator " + r.getOperator());
    };
    return new LabelRequirement(r.getKey(), op, r.getValuesList());
  }
}
