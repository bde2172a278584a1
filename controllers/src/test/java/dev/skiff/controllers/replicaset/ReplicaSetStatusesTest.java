package dev.skiff.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import dev.skiff.api.v1.PodStatus;
import dev.skiff.api.v1.PodTemplateSpec;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.api.v1.ReplicaSetSpec;
import dev.skiff.api.v1.ReplicaSetStatus;
import dev.skiff.controllers.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaSetStatusesTest {
  static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

  static Pod pod(boolean extraLabel, Integer readySecondsAgo) {
    ObjectMeta.Builder m = ObjectMeta.newBuilder().putLabels("app", "web");
    if (extraLabel) {
      m.putLabels("tier", "front");
    }
    PodStatus.Builder s = PodStatus.newBuilder().setPhase("Running");
    if (readySecondsAgo != null) {
      s.addConditions(PodCondition.newBuilder().setType("Ready").setStatus("True")
          .setLastTransitionTime(Timestamps.of(NOW.minusSeconds(readySecondsAgo))));
    }
    return Pod.newBuilder().setMetadata(m).setStatus(s).build();
  }

  @Test
  void countsWithMinReadySeconds() {
    ReplicaSet rs = ReplicaSet.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setGeneration(7))
        .setSpec(ReplicaSetSpec.newBuilder().setReplicas(4).setMinReadySeconds(10)
            .setTemplate(PodTemplateSpec.newBuilder().setMetadata(ObjectMeta.newBuilder()
                .putLabels("app", "web").putLabels("tier", "front"))))
        .build();
    List<Pod> pods = List.of(pod(true, 60), pod(true, 3), pod(false, null), pod(true, null));
    ReplicaSetStatus s = ReplicaSetStatuses.compute(rs, pods, NOW, null, null);
    assertThat(s.getReplicas()).isEqualTo(4);
    assertThat(s.getFullyLabeledReplicas()).isEqualTo(3);
    assertThat(s.getReadyReplicas()).isEqualTo(2);
    assertThat(s.getAvailableReplicas()).isEqualTo(1); // ready 3 s ago is not available yet
    assertThat(s.getObservedGeneration()).isEqualTo(7);
    assertThat(s.getConditionsList()).isEmpty();
    assertThat(ReplicaSetStatuses.untilNextAvailable(rs, pods, NOW)).contains(Duration.ofSeconds(7));

    ReplicaSetStatus failed = ReplicaSetStatuses.compute(rs, pods, NOW, "quota exceeded", "FailedCreate");
    assertThat(failed.getConditions(0).getType()).isEqualTo("ReplicaFailure");
    ReplicaSet withFailure = rs.toBuilder().setStatus(failed).build();
    assertThat(ReplicaSetStatuses.compute(withFailure, pods, NOW, null, null).getConditionsList()).isEmpty();
  }
}
