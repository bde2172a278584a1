package dev.skiff.controllers.nodelifecycle;

import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeCondition;
import dev.skiff.api.v1.NodeStatus;
import dev.skiff.api.v1.Taint;
import dev.skiff.controllers.Timestamps;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Node conditions and the taints the node lifecycle controller derives from them (pure). */
public final class NodeConditions {
  public static final String READY = "Ready";
  public static final String UNREACHABLE_TAINT = "node.kubernetes.io/unreachable";
  public static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
  public static final String NO_SCHEDULE = "NoSchedule";
  /** Conditions the agent reports that become Unknown when it goes silent. */
  static final List<String> AGENT_CONDITIONS = List.of(READY, "MemoryPressure", "DiskPressure", "PIDPressure");

  private NodeConditions() {}

  public static Optional<NodeCondition> ready(Node node) {
    return node.getStatus().getConditionsList().stream().filter(c -> READY.equals(c.getType())).findFirst();
  }

  /** "True", "False" or "Unknown" (also when the node has no Ready condition). */
  public static String readyStatus(Node node) {
    return ready(node).map(NodeCondition::getStatus).orElse("Unknown");
  }

  /**
   * The status of a node whose agent stopped reporting: every agent condition Unknown (reason
   * NodeStatusUnknown), a Ready condition added if the agent never posted one.
   */
  public static NodeStatus markUnknown(NodeStatus status, Instant now) {
    NodeStatus.Builder b = status.toBuilder().clearConditions();
    boolean sawReady = false;
    for (NodeCondition c : status.getConditionsList()) {
      if (!AGENT_CONDITIONS.contains(c.getType())) {
        b.addConditions(c);
        continue;
      }
      sawReady |= READY.equals(c.getType());
      if ("Unknown".equals(c.getStatus())) {
        b.addConditions(c);
        continue;
      }
      b.addConditions(c.toBuilder().setStatus("Unknown").setReason("NodeStatusUnknown")
          .setMessage("Kubelet stopped posting node status.").setLastTransitionTime(Timestamps.seconds(now)));
    }
    if (!sawReady) {
      b.addConditions(NodeCondition.newBuilder().setType(READY).setStatus("Unknown")
          .setReason("NodeStatusNeverUpdated").setMessage("Kubelet never posted node status.")
          .setLastTransitionTime(Timestamps.seconds(now)));
    }
    return b.build();
  }

  /** The NoExecute taint key a node with this Ready status should carry, if any. */
  public static Optional<String> noExecuteTaintFor(String readyStatus) {
    return switch (readyStatus) {
      case "Unknown" -> Optional.of(UNREACHABLE_TAINT);
      case "False" -> Optional.of(NOT_READY_TAINT);
      default -> Optional.empty();
    };
  }

  public static boolean hasTaint(Node node, String key, String effect) {
    return node.getSpec().getTaintsList().stream().anyMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()));
  }

  public static List<Taint> noExecuteTaints(Node node) {
    return node.getSpec().getTaintsList().stream().filter(t -> Tolerations.NO_EXECUTE.equals(t.getEffect())).toList();
  }

  /**
   * The node's taints with the lifecycle taints set for {@code readyStatus}: the matching
   * NoSchedule taint always, the NoExecute one only if {@code withNoExecute} (it is rate limited).
   * Other taints are kept as they are.
   */
  public static List<Taint> lifecycleTaints(Node node, String readyStatus, boolean withNoExecute, Instant now) {
    Optional<String> wanted = noExecuteTaintFor(readyStatus);
    java.util.ArrayList<Taint> out = new java.util.ArrayList<>();
    for (Taint t : node.getSpec().getTaintsList()) {
      boolean lifecycle = UNREACHABLE_TAINT.equals(t.getKey()) || NOT_READY_TAINT.equals(t.getKey());
      if (!lifecycle) {
        out.add(t);
        continue;
      }
      boolean keep = wanted.isPresent() && wanted.get().equals(t.getKey())
          && (NO_SCHEDULE.equals(t.getEffect()) || Tolerations.NO_EXECUTE.equals(t.getEffect()));
      if (keep) {
        out.add(t);
      }
    }
    if (wanted.isPresent()) {
      if (!hasTaint(node, wanted.get(), NO_SCHEDULE)) {
        out.add(Taint.newBuilder().setKey(wanted.get()).setEffect(NO_SCHEDULE).setTimeAdded(Timestamps.seconds(now)).build());
      }
      if (withNoExecute && !hasTaint(node, wanted.get(), Tolerations.NO_EXECUTE)) {
        out.add(Taint.newBuilder().setKey(wanted.get()).setEffect(Tolerations.NO_EXECUTE).setTimeAdded(Timestamps.seconds(now)).build());
      }
    }
    return out;
  }
}
