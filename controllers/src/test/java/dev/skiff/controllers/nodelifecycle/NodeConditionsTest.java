package dev.skiff.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeCondition;
import dev.skiff.api.v1.NodeSpec;
import dev.skiff.api.v1.NodeStatus;
import dev.skiff.api.v1.Taint;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeConditionsTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  static Node node(List<Taint> taints, NodeCondition... conditions) {
    return Node.newBuilder().setSpec(NodeSpec.newBuilder().addAllTaints(taints))
        .setStatus(NodeStatus.newBuilder().addAllConditions(List.of(conditions))).build();
  }

  static NodeCondition cond(String type, String status) {
    return NodeCondition.newBuilder().setType(type).setStatus(status).setReason("KubeletReady").build();
  }

  @Test
  void markUnknownTurnsAgentConditionsUnknownAndAddsAMissingReady() {
    NodeStatus s = NodeConditions.markUnknown(NodeStatus.newBuilder()
        .addConditions(cond("Ready", "True")).addConditions(cond("MemoryPressure", "False"))
        .addConditions(cond("NetworkUnavailable", "False")).build(), NOW);
    assertThat(s.getConditionsList()).extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactly("Ready=Unknown", "MemoryPressure=Unknown", "NetworkUnavailable=False");
    assertThat(s.getConditions(0).getReason()).isEqualTo("NodeStatusUnknown");
    NodeStatus never = NodeConditions.markUnknown(NodeStatus.getDefaultInstance(), NOW);
    assertThat(never.getConditions(0).getReason()).isEqualTo("NodeStatusNeverUpdated");
  }

  @Test
  void lifecycleTaintsFollowReadinessAndKeepOthers() {
    Taint custom = Taint.newBuilder().setKey("dedicated").setValue("gpu").setEffect("NoSchedule").build();
    Node unknown = node(List.of(custom), cond("Ready", "Unknown"));
    List<Taint> withoutExecute = NodeConditions.lifecycleTaints(unknown, "Unknown", false, NOW);
    assertThat(withoutExecute).extracting(t -> t.getKey() + ":" + t.getEffect())
        .containsExactly("dedicated:NoSchedule", "node.kubernetes.io/unreachable:NoSchedule");
    List<Taint> all = NodeConditions.lifecycleTaints(unknown, "Unknown", true, NOW);
    assertThat(all).extracting(t -> t.getKey() + ":" + t.getEffect())
        .contains("node.kubernetes.io/unreachable:NoExecute");

    Node nowNotReady = node(all, cond("Ready", "False"));
    assertThat(NodeConditions.lifecycleTaints(nowNotReady, "False", true, NOW)).extracting(t -> t.getKey() + ":" + t.getEffect())
        .containsExactly("dedicated:NoSchedule", "node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute");
    Node back = node(all, cond("Ready", "True"));
    assertThat(NodeConditions.lifecycleTaints(back, "True", false, NOW)).containsExactly(custom);
    assertThat(NodeConditions.readyStatus(node(List.of()))).isEqualTo("Unknown");
  }
}
