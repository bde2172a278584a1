package dev.skiff.scheduler.framework.plugins;

import dev.skiff.api.v1.TopologySpreadConstraint;
import dev.skiff.client.api.LabelMatcher;
import dev.skiff.client.api.LabelRequirement;
import dev.skiff.scheduler.framework.AffinityTerm;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spreads matching pods evenly over topology domains. DoNotSchedule constraints filter: placing
 * the pod must keep (matching pods in the node's domain + 1) - (fewest in any domain) within
 * maxSkew. ScheduleAnyway constraints score: fewer matching pods in the node's domain is better.
 * Domains are the values of the key over nodes that match the pod's node selector/affinity.
 */
public final class PodTopologySpread implements PreFilterPlugin, FilterPlugin, ScorePlugin,
    EnqueueExtensions {
  public static final String NAME = "PodTopologySpread";
  public static final String REASON = "node(s) didn't match pod topology spread constraints";
  public static final String MISSING_LABEL_REASON =
      "node(s) didn't match pod topology spread constraints (missing required label)";
  private static final String SCORE_KEY = NAME + "/score";

  record Constraint(int maxSkew, String key, LabelMatcher selector, int minDomains) {}

  /** Matching pods per domain, and each constraint's minimum over its domains. */
  record Counts(List<Constraint> constraints, Map<TopologyPair, Integer> counts, int[] minimum,
      boolean[] selfMatch) {}

  @Override
  public String name() {
    return NAME;
  }

  static List<Constraint> constraints(PodInfo pod, String when) {
    List<Constraint> out = new ArrayList<>();
    for (TopologySpreadConstraint c : pod.pod().getSpec().getTopologySpreadConstraintsList()) {
      if (!when.equals(c.getWhenUnsatisfiable())) {
        continue;
      }
      List<LabelRequirement> reqs = new ArrayList<>(AffinityTerm.requirements(c.getLabelSelector()));
      for (String key : c.getMatchLabelKeysList()) {
        String v = pod.labels().get(key);
        if (v != null) {
          reqs.add(new LabelRequirement(key, LabelRequirement.Operator.IN, List.of(v)));
        }
      }
      out.add(new Constraint(Math.max(1, c.getMaxSkew()), c.getTopologyKey(),
          new LabelMatcher(reqs), c.hasMinDomains() ? c.getMinDomains() : 1));
    }
    return out;
  }

  static Counts count(PodInfo pod, List<Constraint> constraints, Snapshot snapshot) {
    NodeAffinity.Required required = NodeAffinity.required(pod.pod().getSpec());
    Map<TopologyPair, Integer> counts = new HashMap<>();
    for (int i = 0; i < snapshot.size(); i++) {
      NodeInfo n = snapshot.get(i);
      if (!hasAllKeys(n, constraints) || (required != null && !required.matches(n))) {
        continue;
      }
      for (Constraint c : constraints) {
        int matching = 0;
        for (PodInfo p : n.pods()) {
          if (p.namespace().equals(pod.namespace())
              && !p.pod().getMetadata().hasDeletionTimestamp()
              && c.selector().matches(p.labels())) {
            matching++;
          }
        }
        counts.merge(new TopologyPair(c.key(), n.labels().get(c.key())), matching, Integer::sum);
      }
    }
    int[] minimum = new int[constraints.size()];
    boolean[] self = new boolean[constraints.size()];
    for (int i = 0; i < constraints.size(); i++) {
      Constraint c = constraints.get(i);
      int min = Integer.MAX_VALUE;
      int domains = 0;
      for (Map.Entry<TopologyPair, Integer> e : counts.entrySet()) {
        if (e.getKey().key().equals(c.key())) {
          min = Math.min(min, e.getValue());
          domains++;
        }
      }
      minimum[i] = domains < c.minDomains() || domains == 0 ? 0 : min;
      self[i] = c.selector().matches(pod.labels());
    }
    return new Counts(constraints, counts, minimum, self);
  }

  private static boolean hasAllKeys(NodeInfo n, List<Constraint> constraints) {
    for (Constraint c : constraints) {
      if (!n.labels().containsKey(c.key())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public PreFilterResult preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
    List<Constraint> constraints = constraints(pod, "DoNotSchedule");
    if (constraints.isEmpty()) {
      return PreFilterResult.skip();
    }
    state.write(NAME, count(pod, constraints, snapshot));
    return PreFilterResult.success();
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    Counts s = state.read(NAME, Counts.class);
    for (int i = 0; i < s.constraints().size(); i++) {
      Constraint c = s.constraints().get(i);
      String value = node.labels().get(c.key());
      if (value == null) {
        return Status.unresolvable(MISSING_LABEL_REASON);
      }
      int here = s.counts().getOrDefault(new TopologyPair(c.key(), value), 0);
      if (here + (s.selfMatch()[i] ? 1 : 0) - s.minimum()[i] > c.maxSkew()) {
        return Status.unschedulable(REASON);
      }
    }
    return Status.success();
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, Snapshot snapshot) {
    List<Constraint> constraints = constraints(pod, "ScheduleAnyway");
    if (constraints.isEmpty()) {
      return Status.skip();
    }
    state.write(SCORE_KEY, count(pod, constraints, snapshot));
    return Status.success();
  }

  /** Raw score: matching pods in the node's domains weighted by log(domains + 2); -1 if unlabeled. */
  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    Counts s = state.read(SCORE_KEY, Counts.class);
    double sum = 0;
    for (Constraint c : s.constraints()) {
      String value = node.labels().get(c.key());
      if (value == null) {
        return -1;
      }
      long domains = s.counts().keySet().stream().filter(p -> p.key().equals(c.key())).count();
      sum += s.counts().getOrDefault(new TopologyPair(c.key(), value), 0) * Math.log(domains + 2);
    }
    return Math.round(sum * 100);
  }

  /** Fewer matching pods is better: MAX × (max + min − s) / max; unlabeled nodes get 0. */
  @Override
  public void normalize(CycleState state, PodInfo pod, long[] scores) {
    long min = Long.MAX_VALUE;
    long max = 0;
    for (long s : scores) {
      if (s >= 0) {
        min = Math.min(min, s);
        max = Math.max(max, s);
      }
    }
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] < 0) {
        scores[i] = 0;
      } else if (max == 0) {
        scores[i] = MAX_SCORE;
      } else {
        scores[i] = MAX_SCORE * (max + min - scores[i]) / max;
      }
    }
  }

  @Override
  public Set<ClusterEvent.Type> events() {
    return Set.of(ClusterEvent.Type.ASSIGNED_POD_ADD, ClusterEvent.Type.ASSIGNED_POD_UPDATE,
        ClusterEvent.Type.ASSIGNED_POD_DELETE, ClusterEvent.Type.NODE_ADD,
        ClusterEvent.Type.NODE_UPDATE, ClusterEvent.Type.NODE_DELETE);
  }
}
