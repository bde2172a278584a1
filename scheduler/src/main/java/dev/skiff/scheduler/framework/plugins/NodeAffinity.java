package dev.skiff.scheduler.framework.plugins;

import dev.skiff.api.v1.NodeSelector;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.PreferredSchedulingTerm;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PreFilterPlugin;
import dev.skiff.scheduler.framework.PreFilterResult;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code spec.nodeSelector} and required node affinity as a filter; preferred node affinity as a
 * score (sum of the weights of matching terms, scaled to 0..100).
 */
public final class NodeAffinity implements PreFilterPlugin, FilterPlugin, ScorePlugin,
    EnqueueExtensions {
  public static final String NAME = "NodeAffinity";
  public static final String REASON = "node(s) didn't match Pod's node affinity/selector";

  /** What a pod requires of its node, compiled once per cycle. */
  record Required(Map<String, String> nodeSelector, NodeSelectorMatcher affinity) {
    boolean matches(NodeInfo node) {
      return matches(node.labels(), node.name());
    }

    boolean matches(Map<String, String> labels, String nodeName) {
      for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
      return affinity == null || affinity.matches(labels, nodeName);
    }
  }

  record Preferred(NodeSelectorMatcher matcher, int weight) {}

  @Override
  public String name() {
    return NAME;
  }

  /** The pod's required node constraints, or null when it has none. */
  public static Required required(PodSpec spec) {
    boolean hasAffinity = spec.getAffinity().getNodeAffinity()
        .hasRequiredDuringSchedulingIgnoredDuringExecution();
    if (spec.getNodeSelectorCount() == 0 && !hasAffinity) {
      return null;
    }
    NodeSelectorMatcher matcher = hasAffinity ? NodeSelectorMatcher.compile(
        spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
        : null;
    return new Required(spec.getNodeSelectorMap(), matcher);
  }

  @Override
  public PreFilterResult preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
    Required required = required(pod.pod().getSpec());
    if (required == null) {
      return PreFilterResult.skip();
    }
    state.write(NAME, required);
    NodeSelector selector = pod.pod().getSpec().getAffinity().getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution();
    Set<String> pinned = NodeSelectorMatcher.pinnedNodeNames(selector);
    return pinned == null ? PreFilterResult.success() : PreFilterResult.onlyNodes(pinned);
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    Required required = state.read(NAME, Required.class);
    return required == null || required.matches(node) ? Status.success()
        : Status.unresolvable(REASON);
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, Snapshot snapshot) {
    List<PreferredSchedulingTerm> terms = pod.pod().getSpec().getAffinity().getNodeAffinity()
        .getPreferredDuringSchedulingIgnoredDuringExecutionList();
    if (terms.isEmpty()) {
      return Status.skip();
    }
    List<Preferred> compiled = new ArrayList<>();
    for (PreferredSchedulingTerm t : terms) {
      compiled.add(new Preferred(NodeSelectorMatcher.compile(t.getPreference()), t.getWeight()));
    }
    state.write(NAME + "/preferred", new PreferredTerms(List.copyOf(compiled)));
    return Status.success();
  }

  record PreferredTerms(List<Preferred> terms) {}

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    long sum = 0;
    for (Preferred p : state.read(NAME + "/preferred", PreferredTerms.class).terms()) {
      if (p.matcher().matches(node.labels(), node.name())) {
        sum += p.weight();
      }
    }
    return sum;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, long[] scores) {
    Scores.normalize(scores, false);
  }

  @Override
  public Set<ClusterEvent.Type> events() {
    return Set.of(ClusterEvent.Type.NODE_ADD, ClusterEvent.Type.NODE_UPDATE);
  }

  @Override
  public boolean isWorthRequeuing(PodInfo pod, ClusterEvent event) {
    Required required = required(pod.pod().getSpec());
    return required == null || required.matches(
        event.newNode().getMetadata().getLabelsMap(), event.newNode().getMetadata().getName());
  }
}
