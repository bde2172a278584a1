package dev.skiff.scheduler.framework.plugins;

import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Diagnosis;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.Nominator;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PostFilterPlugin;
import dev.skiff.scheduler.framework.PostFilterResult;
import dev.skiff.scheduler.framework.PreFilterResult;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Preemption: when no node fits, finds ONE node where evicting pods of lower priority makes the
 * pod fit, evicts as few and as low as possible there (victims are reprieved from the highest
 * priority down while the pod still fits), and nominates that node.
 *
 * <p>Candidates are the nodes that were merely Unschedulable (not unresolvable); among them the
 * node whose most important victim has the lowest priority wins, then the lowest priority sum,
 * then the fewest victims. A pod that already has a nominated node where lower-priority pods
 * are still terminating waits for them instead of preempting again.
 */
public final class DefaultPreemption implements PostFilterPlugin {
  public static final String NAME = "DefaultPreemption";

  /** Evicts a victim (graceful deletion and an event); called on the scheduling thread. */
  public interface Evictor {
    void evict(PodInfo victim, PodInfo preemptor, String nodeName);
  }

  record Candidate(String node, List<PodInfo> victims) {
    int maxPriority() {
      return victims.stream().mapToInt(PodInfo::priority).max().orElse(Integer.MIN_VALUE);
    }

    long prioritySum() {
      return victims.stream().mapToLong(p -> (long) p.priority() - Integer.MIN_VALUE).sum();
    }
  }

  private final Evictor evictor;
  private final Nominator nominator;
  private final int maxCandidates;

  public DefaultPreemption(Evictor evictor, Nominator nominator, int maxCandidates) {
    this.evictor = evictor;
    this.nominator = nominator;
    this.maxCandidates = maxCandidates;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PostFilterResult postFilter(CycleState state, PodInfo pod, Snapshot snapshot,
      Diagnosis diagnosis, Framework framework) {
    if ("Never".equals(pod.pod().getSpec().getPreemptionPolicy())) {
      return PostFilterResult.failed(
          Status.unresolvable("preemption: not eligible due to preemptionPolicy=Never."));
    }
    String nominated = nominator.nodeOf(pod.key());
    if (nominated != null && victimsTerminating(snapshot.get(nominated), pod)) {
      return PostFilterResult.failed(
          Status.unschedulable("preemption: waiting for victims to terminate."));
    }
    List<Candidate> candidates = new ArrayList<>();
    int noVictims = 0;
    for (int i = 0; i < snapshot.size() && candidates.size() < maxCandidates; i++) {
      NodeInfo node = snapshot.get(i);
      Status s = diagnosis.status(node.name());
      if (s == null || s.code() != Status.Code.UNSCHEDULABLE) {
        continue;
      }
      Candidate c = selectVictims(framework, pod, snapshot, node);
      if (c != null) {
        candidates.add(c);
      } else {
        noVictims++;
      }
    }
    if (candidates.isEmpty()) {
      return PostFilterResult.failed(Status.unschedulable(
          noCandidatesMessage(snapshot.size(), noVictims, snapshot.size() - noVictims)));
    }
    Candidate best = candidates.stream()
        .min(Comparator.comparingInt(Candidate::maxPriority)
            .thenComparingLong(Candidate::prioritySum)
            .thenComparingInt(c -> c.victims().size())
            .thenComparing(Candidate::node))
        .orElseThrow();
    for (PodInfo victim : best.victims()) {
      evictor.evict(victim, pod, best.node());
    }
    return PostFilterResult.nominated(best.node());
  }

  /** Kubernetes' wording: "preemption: 0/3 nodes are available: 3 No preemption victims ...". */
  static String noCandidatesMessage(int total, int noVictims, int notHelpful) {
    List<String> parts = new ArrayList<>();
    if (noVictims > 0) {
      parts.add(noVictims + " No preemption victims found for incoming pod");
    }
    if (notHelpful > 0) {
      parts.add(notHelpful + " Preemption is not helpful for scheduling");
    }
    parts.sort(null);
    return "preemption: 0/" + total + " nodes are available: " + String.join(", ", parts) + ".";
  }

  private static boolean victimsTerminating(NodeInfo node, PodInfo pod) {
    if (node == null) {
      return false;
    }
    for (PodInfo p : node.pods()) {
      if (p.priority() < pod.priority() && p.pod().getMetadata().hasDeletionTimestamp()) {
        return true;
      }
    }
    return false;
  }

  /** The fewest lower-priority pods to evict from {@code node} for the pod to fit, or null. */
  Candidate selectVictims(Framework fw, PodInfo pod, Snapshot snapshot, NodeInfo node) {
    List<PodInfo> lower = new ArrayList<>();
    NodeInfo stripped = node;
    for (PodInfo p : node.pods()) {
      if (p.priority() < pod.priority() && !p.pod().getMetadata().hasDeletionTimestamp()) {
        lower.add(p);
        stripped = stripped.withoutPod(p.key());
      }
    }
    if (lower.isEmpty() || !fits(fw, pod, snapshot, stripped)) {
      return null;
    }
    lower.sort(Comparator.comparingInt(PodInfo::priority).reversed());
    List<PodInfo> victims = new ArrayList<>();
    NodeInfo current = stripped;
    for (PodInfo p : lower) {
      NodeInfo withBack = current.withPod(p);
      if (fits(fw, pod, snapshot, withBack)) {
        current = withBack;
      } else {
        victims.add(p);
      }
    }
    return new Candidate(node.name(), List.copyOf(victims));
  }

  private static boolean fits(Framework fw, PodInfo pod, Snapshot snapshot, NodeInfo node) {
    CycleState state = new CycleState();
    Snapshot simulated = snapshot.withNode(node);
    PreFilterResult pre = fw.runPreFilter(state, pod, simulated);
    if (!pre.status().isSuccess()) {
      return false;
    }
    if (pre.nodeNames() != null && !pre.nodeNames().contains(node.name())) {
      return false;
    }
    return fw.runFilters(state, pod, node).isSuccess();
  }
}
