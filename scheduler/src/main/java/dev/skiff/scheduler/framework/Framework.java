package dev.skiff.scheduler.framework;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a {@link Profile}'s plugins at each extension point. Stateless beyond the profile:
 * {@link #runFilters} is called from several filter workers at once; every other method from
 * the scheduling thread, except {@link #runBind} (a binding thread).
 */
public final class Framework {
  private final Profile profile;
  private final List<PreFilterPlugin> preFilters = new ArrayList<>();
  private final List<FilterPlugin> filters = new ArrayList<>();
  private final List<PostFilterPlugin> postFilters = new ArrayList<>();
  private final List<ScorePlugin> scorers = new ArrayList<>();
  private final List<ReservePlugin> reservers = new ArrayList<>();
  private final List<BindPlugin> binders = new ArrayList<>();

  public Framework(Profile profile) {
    this.profile = profile;
    for (Plugin p : profile.plugins()) {
      if (p instanceof PreFilterPlugin x) {
        preFilters.add(x);
      }
      if (p instanceof FilterPlugin x) {
        filters.add(x);
      }
      if (p instanceof PostFilterPlugin x) {
        postFilters.add(x);
      }
      if (p instanceof ScorePlugin x) {
        scorers.add(x);
      }
      if (p instanceof ReservePlugin x) {
        reservers.add(x);
      }
      if (p instanceof BindPlugin x) {
        binders.add(x);
      }
    }
    if (binders.isEmpty()) {
      throw new IllegalArgumentException("profile " + profile.schedulerName() + " has no Bind plugin");
    }
  }

  public String schedulerName() {
    return profile.schedulerName();
  }

  public Profile profile() {
    return profile;
  }

  /**
   * Runs every PreFilter. Stops at the first rejection or error (tagged with the plugin); plugins
   * answering Skip have their Filter skipped. Node restrictions of several plugins intersect.
   */
  public PreFilterResult runPreFilter(CycleState state, PodInfo pod, Snapshot snapshot) {
    Set<String> nodes = null;
    for (PreFilterPlugin p : preFilters) {
      PreFilterResult r = p.preFilter(state, pod, snapshot);
      Status s = r.status();
      if (s.isSkip()) {
        state.skipFilter(p.name());
        continue;
      }
      if (!s.isSuccess()) {
        return PreFilterResult.of(s.withPlugin(p.name()));
      }
      if (r.nodeNames() != null) {
        if (nodes == null) {
          nodes = new HashSet<>(r.nodeNames());
        } else {
          nodes.retainAll(r.nodeNames());
        }
      }
    }
    state.activeFilters(activeFilters(state));
    return nodes == null ? PreFilterResult.success() : PreFilterResult.onlyNodes(nodes);
  }

  private FilterPlugin[] activeFilters(CycleState state) {
    return filters.stream().filter(p -> !state.filterSkipped(p.name())).toArray(FilterPlugin[]::new);
  }

  /** Runs the Filters on one node; the first rejection (tagged with its plugin) wins. */
  public Status runFilters(CycleState state, PodInfo pod, NodeInfo node) {
    FilterPlugin[] active = state.activeFilters();
    if (active == null) {
      active = activeFilters(state);
    }
    for (FilterPlugin p : active) {
      Status s = p.filter(state, pod, node);
      if (!s.isSuccess()) {
        return s.withPlugin(p.name());
      }
    }
    return Status.success();
  }

  /**
   * {@link #runFilters(CycleState, PodInfo, NodeInfo)} on node {@code i} of the snapshot: each
   * plugin's {@link FilterPlugin#passes} shortcut first, its {@code filter} only when the
   * shortcut is not sure. Same outcome, fewer reads of scattered {@link NodeInfo}s.
   */
  public Status runFilters(CycleState state, PodInfo pod, Snapshot snapshot, int i) {
    FilterPlugin[] active = state.activeFilters();
    if (active == null) {
      active = activeFilters(state);
    }
    NodeColumns columns = snapshot.columns();
    for (FilterPlugin p : active) {
      if (p.passes(state, pod, columns, i)) {
        continue;
      }
      Status s = p.filter(state, pod, snapshot.get(i));
      if (!s.isSuccess()) {
        return s.withPlugin(p.name());
      }
    }
    return Status.success();
  }

  public boolean hasPostFilters() {
    return !postFilters.isEmpty();
  }

  /** Runs the PostFilters until one nominates a node. */
  public PostFilterResult runPostFilter(CycleState state, PodInfo pod, Snapshot snapshot,
      Diagnosis diagnosis) {
    PostFilterResult last = PostFilterResult.failed(Status.unschedulable());
    for (PostFilterPlugin p : postFilters) {
      last = p.postFilter(state, pod, snapshot, diagnosis, this);
      if (last.status().isSuccess()) {
        return last;
      }
    }
    return last;
  }

  /**
   * Scores the feasible nodes: each plugin's PreScore, scores, normalization, times its weight,
   * summed per node (index-aligned with {@code nodes}). {@code indices[k]} is the snapshot index
   * of {@code nodes.get(k)}, so that plugins may read the node's {@link NodeColumns} row.
   */
  public long[] runScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, int[] indices,
      Snapshot snapshot) {
    long[] total = new long[nodes.size()];
    long[] scores = new long[nodes.size()];
    NodeColumns columns = snapshot.columns();
    for (ScorePlugin p : scorers) {
      Status pre = p.preScore(state, pod, nodes, snapshot);
      if (pre.isSkip() || state.scoreSkipped(p.name())) {
        continue;
      }
      for (int i = 0; i < nodes.size(); i++) {
        scores[i] = p.score(state, pod, columns, indices[i], nodes.get(i));
      }
      p.normalize(state, pod, scores);
      int weight = profile.weight(p.name());
      for (int i = 0; i < nodes.size(); i++) {
        total[i] += scores[i] * weight;
      }
    }
    return total;
  }

  /** Runs every Reserve; on a failure undoes the ones that ran, in reverse order. */
  public Status runReserve(CycleState state, PodInfo pod, String nodeName) {
    for (int i = 0; i < reservers.size(); i++) {
      ReservePlugin p = reservers.get(i);
      Status s = p.reserve(state, pod, nodeName);
      if (!s.isSuccess()) {
        for (int j = i; j >= 0; j--) {
          reservers.get(j).unreserve(state, pod, nodeName);
        }
        return s.withPlugin(p.name());
      }
    }
    return Status.success();
  }

  public void runUnreserve(CycleState state, PodInfo pod, String nodeName) {
    for (int i = reservers.size() - 1; i >= 0; i--) {
      reservers.get(i).unreserve(state, pod, nodeName);
    }
  }

  /** Binds with the first Bind plugin that does not Skip. */
  public Status runBind(CycleState state, PodInfo pod, String nodeName) {
    for (BindPlugin p : binders) {
      Status s = p.bind(state, pod, nodeName);
      if (!s.isSkip()) {
        return s.withPlugin(p.name());
      }
    }
    return Status.error("no Bind plugin bound pod " + pod.key());
  }

  /**
   * Whether {@code event} may make a pod schedulable that the named plugins rejected: true when a
   * rejecting plugin registered the event type and its hint agrees. An empty set (the pod failed
   * for another reason) retries on every event.
   */
  public boolean isWorthRequeuing(Set<String> rejectingPlugins, PodInfo pod, ClusterEvent event) {
    if (rejectingPlugins.isEmpty()) {
      return true;
    }
    for (Plugin p : profile.plugins()) {
      if (!rejectingPlugins.contains(p.name())) {
        continue;
      }
      if (!(p instanceof EnqueueExtensions ext)) {
        return true;
      }
      if (ext.events().contains(event.type()) && ext.isWorthRequeuing(pod, event)) {
        return true;
      }
    }
    return false;
  }
}
