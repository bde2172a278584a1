package dev.skiff.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.ContainerStatus;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.PodStatus;
import dev.skiff.controllers.Timestamps;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodDeletionOrderTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Pod pod(String name, String node, String phase, Integer readySecondsAgo, int createdSecondsAfterT0, int restarts) {
    PodStatus.Builder status = PodStatus.newBuilder().setPhase(phase)
        .addContainerStatuses(ContainerStatus.newBuilder().setName("c").setRestartCount(restarts));
    if (readySecondsAgo != null) {
      status.addConditions(PodCondition.newBuilder().setType("Ready").setStatus("True")
          .setLastTransitionTime(Timestamps.of(T0.plusSeconds(1000 - readySecondsAgo))));
    }
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace("ns")
            .setCreationTimestamp(Timestamps.of(T0.plusSeconds(createdSecondsAfterT0))))
        .setSpec(PodSpec.newBuilder().setNodeName(node))
        .setStatus(status)
        .build();
  }

  private static List<String> order(Pod... pods) {
    return PodDeletionOrder.victims(List.of(pods), pods.length).stream().map(p -> p.getMetadata().getName()).toList();
  }

  @Test
  void unassignedBeforeAssigned() {
    assertThat(order(pod("assigned", "n1", "Running", 10, 0, 0), pod("unassigned", "", "Pending", null, 0, 0)))
        .containsExactly("unassigned", "assigned");
  }

  @Test
  void pendingBeforeUnknownBeforeRunning() {
    assertThat(order(pod("running", "n1", "Running", null, 0, 0), pod("unknown", "n2", "Unknown", null, 0, 0),
        pod("pending", "n3", "Pending", null, 0, 0))).containsExactly("pending", "unknown", "running");
  }

  @Test
  void notReadyBeforeReady() {
    assertThat(order(pod("ready", "n1", "Running", 10, 0, 0), pod("notready", "n2", "Running", null, 0, 0)))
        .containsExactly("notready", "ready");
  }

  @Test
  void doubledUpNodeFirst() {
    assertThat(order(pod("alone", "n1", "Running", 10, 0, 0), pod("crowd-a", "n2", "Running", 10, 0, 0),
        pod("crowd-b", "n2", "Running", 10, 0, 0)).get(2)).isEqualTo("alone");
  }

  @Test
  void readyShorterFirstThenMoreRestartsThenNewest() {
    assertThat(order(pod("long", "n1", "Running", 500, 0, 0), pod("short", "n2", "Running", 5, 0, 0)))
        .containsExactly("short", "long");
    assertThat(order(pod("calm", "n1", "Running", 10, 0, 0), pod("flappy", "n2", "Running", 10, 0, 7)))
        .containsExactly("flappy", "calm");
    assertThat(order(pod("old", "n1", "Pending", null, 0, 0), pod("new", "n2", "Pending", null, 60, 0)))
        .containsExactly("new", "old");
  }

  @Test
  void victimsTakesOnlyTheCount() {
    List<Pod> pods = List.of(pod("a", "n1", "Running", 10, 0, 0), pod("b", "", "Pending", null, 0, 0),
        pod("c", "n2", "Running", null, 0, 0));
    assertThat(PodDeletionOrder.victims(pods, 2)).extracting(p -> p.getMetadata().getName()).containsExactly("b", "c");
    assertThat(PodDeletionOrder.victims(pods, 0)).isEmpty();
  }
}
