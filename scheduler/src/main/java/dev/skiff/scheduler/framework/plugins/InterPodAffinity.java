package dev.skiff.scheduler.framework.plugins;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Required pod affinity and anti-affinity (the incoming pod's, and existing pods' anti-affinity
 * against the incoming pod) per topology domain; preferred terms of both sides as a score.
 */
public final class InterPodAffinity implements PreFilterPlugin, FilterPlugin, ScorePlugin,
    EnqueueExtensions {
  public static final String NAME = "InterPodAffinity";
  public static final String EXISTING_ANTI_REASON =
      "node(s) didn't satisfy existing pods anti-affinity rules";
  public static final String ANTI_REASON = "node(s) didn't match pod anti-affinity rules";
  public static final String AFFINITY_REASON = "node(s) didn't match pod affinity rules";
  private static final String SCORE_KEY = NAME + "/score";

  /** Counts of matching pods per topology domain, computed in PreFilter. */
  record State(Map<TopologyPair, Integer> existingAnti, Map<TopologyPair, Integer> affinity,
      Map<TopologyPair, Integer> anti) {}

  record TopologyScores(Map<String, Map<String, Long>> byKey) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PreFilterResult preFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
    List<NodeInfo> antiNodes = snapshot.nodesWithRequiredAntiAffinityPods();
    if (antiNodes.isEmpty() && pod.requiredAffinity().isEmpty()
        && pod.requiredAntiAffinity().isEmpty()) {
      return PreFilterResult.skip();
    }
    Map<TopologyPair, Integer> existingAnti = new HashMap<>();
    for (NodeInfo n : antiNodes) {
      for (PodInfo existing : n.pods()) {
        for (AffinityTerm t : existing.requiredAntiAffinity()) {
          String value = n.labels().get(t.topologyKey());
          if (value != null && t.matches(pod)) {
            existingAnti.merge(new TopologyPair(t.topologyKey(), value), 1, Integer::sum);
          }
        }
      }
    }
    Map<TopologyPair, Integer> affinity = new HashMap<>();
    Map<TopologyPair, Integer> anti = new HashMap<>();
    if (!pod.requiredAffinity().isEmpty() || !pod.requiredAntiAffinity().isEmpty()) {
      for (int i = 0; i < snapshot.size(); i++) {
        NodeInfo n = snapshot.get(i);
        for (PodInfo existing : n.pods()) {
          if (!pod.requiredAffinity().isEmpty() && matchesAll(pod.requiredAffinity(), existing)) {
            count(pod.requiredAffinity(), n, affinity);
          }
          for (AffinityTerm t : pod.requiredAntiAffinity()) {
            if (t.matches(existing)) {
              count(List.of(t), n, anti);
            }
          }
        }
      }
    }
    state.write(NAME, new State(existingAnti, affinity, anti));
    return PreFilterResult.success();
  }

  private static boolean matchesAll(List<AffinityTerm> terms, PodInfo pod) {
    for (AffinityTerm t : terms) {
      if (!t.matches(pod)) {
        return false;
      }
    }
    return true;
  }

  private static void count(List<AffinityTerm> terms, NodeInfo n, Map<TopologyPair, Integer> into) {
    for (AffinityTerm t : terms) {
      String value = n.labels().get(t.topologyKey());
      if (value != null) {
        into.merge(new TopologyPair(t.topologyKey(), value), 1, Integer::sum);
      }
    }
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    State s = state.read(NAME, State.class);
    Map<String, String> labels = node.labels();
    for (Map.Entry<TopologyPair, Integer> e : s.existingAnti().entrySet()) {
      if (e.getValue() > 0 && e.getKey().value().equals(labels.get(e.getKey().key()))) {
        return Status.unschedulable(EXISTING_ANTI_REASON);
      }
    }
    for (AffinityTerm t : pod.requiredAntiAffinity()) {
      String value = labels.get(t.topologyKey());
      if (value != null && s.anti().getOrDefault(new TopologyPair(t.topologyKey(), value), 0) > 0) {
        return Status.unschedulable(ANTI_REASON);
      }
    }
    if (!pod.requiredAffinity().isEmpty() && !affinitySatisfied(s, pod, labels)) {
      return Status.unresolvable(AFFINITY_REASON);
    }
    return Status.success();
  }

  private static boolean affinitySatisfied(State s, PodInfo pod, Map<String, String> labels) {
    boolean allFound = true;
    for (AffinityTerm t : pod.requiredAffinity()) {
      String value = labels.get(t.topologyKey());
      if (value == null) {
        return false;
      }
      if (s.affinity().getOrDefault(new TopologyPair(t.topologyKey(), value), 0) <= 0) {
        allFound = false;
      }
    }
    // The first pod of a group that selects itself may go anywhere with the topology keys.
    return allFound || (s.affinity().isEmpty() && matchesAll(pod.requiredAffinity(), pod));
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, Snapshot snapshot) {
    boolean incoming = !pod.preferredAffinity().isEmpty() || !pod.preferredAntiAffinity().isEmpty();
    List<NodeInfo> scan = incoming ? snapshot.list() : snapshot.nodesWithAffinityPods();
    if (scan.isEmpty()) {
      return Status.skip();
    }
    Map<String, Map<String, Long>> scores = new HashMap<>();
    for (NodeInfo n : scan) {
      for (PodInfo existing : n.pods()) {
        for (AffinityTerm t : pod.preferredAffinity()) {
          add(scores, n, t, t.matches(existing) ? t.weight() : 0);
        }
        for (AffinityTerm t : pod.preferredAntiAffinity()) {
          add(scores, n, t, t.matches(existing) ? -t.weight() : 0);
        }
        if (!existing.hasAffinity()) {
          continue;
        }
        for (AffinityTerm t : existing.preferredAffinity()) {
          add(scores, n, t, t.matches(pod) ? t.weight() : 0);
        }
        for (AffinityTerm t : existing.preferredAntiAffinity()) {
          add(scores, n, t, t.matches(pod) ? -t.weight() : 0);
        }
        for (AffinityTerm t : existing.requiredAffinity()) {
          add(scores, n, t, t.matches(pod) ? 1 : 0);
        }
      }
    }
    if (scores.isEmpty()) {
      return Status.skip();
    }
    state.write(SCORE_KEY, new TopologyScores(scores));
    return Status.success();
  }

  private static void add(Map<String, Map<String, Long>> scores, NodeInfo n, AffinityTerm t,
      long weight) {
    String value = weight == 0 ? null : n.labels().get(t.topologyKey());
    if (value != null) {
      scores.computeIfAbsent(t.topologyKey(), k -> new HashMap<>()).merge(value, weight, Long::sum);
    }
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    long sum = 0;
    for (Map.Entry<String, Map<String, Long>> e :
        state.read(SCORE_KEY, TopologyScores.class).byKey().entrySet()) {
      String value = node.labels().get(e.getKey());
      if (value != null) {
        sum += e.getValue().getOrDefault(value, 0L);
      }
    }
    return sum;
  }

  @Override
  public void normalize(CycleState state, PodInfo pod, long[] scores) {
    Scores.minMax(scores);
  }

  @Override
  public Set<ClusterEvent.Type> events() {
    return Set.of(ClusterEvent.Type.ASSIGNED_POD_ADD, ClusterEvent.Type.ASSIGNED_POD_UPDATE,
        ClusterEvent.Type.ASSIGNED_POD_DELETE, ClusterEvent.Type.NODE_ADD,
        ClusterEvent.Type.NODE_UPDATE);
  }
}
