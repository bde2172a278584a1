package dev.skiff.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.DeploymentCondition;
import dev.skiff.api.v1.DeploymentSpec;
import dev.skiff.api.v1.DeploymentStatus;
import dev.skiff.api.v1.DeploymentStrategy;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.api.v1.ReplicaSetSpec;
import dev.skiff.api.v1.ReplicaSetStatus;
import dev.skiff.api.v1.RollingUpdateDeployment;
import dev.skiff.controllers.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeploymentStatusesTest {
  static final Instant NOW = Instant.parse("2026-01-01T01:00:00Z");

  static Deployment deployment(int replicas, String surge, String unavailable, int generation) {
    return Deployment.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("web").setNamespace("ns").setGeneration(generation))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(replicas).setProgressDeadlineSeconds(60)
            .setStrategy(DeploymentStrategy.newBuilder().setType("RollingUpdate")
                .setRollingUpdate(RollingUpdateDeployment.newBuilder().setMaxSurge(surge).setMaxUnavailable(unavailable))))
        .build();
  }

  static ReplicaSet rs(String name, int spec, int replicas, int ready, int available) {
    return ReplicaSet.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name))
        .setSpec(ReplicaSetSpec.newBuilder().setReplicas(spec))
        .setStatus(ReplicaSetStatus.newBuilder().setReplicas(replicas).setReadyReplicas(ready).setAvailableReplicas(available))
        .build();
  }

  @Test
  void countsAndAvailableCondition() {
    Deployment d = deployment(4, "1", "1", 3);
    ReplicaSet old = rs("old", 2, 2, 2, 2);
    ReplicaSet fresh = rs("new", 3, 3, 2, 1);
    DeploymentStatus.Builder s = DeploymentStatuses.calculate(d, List.of(old, fresh), fresh, NOW);
    assertThat(s.getObservedGeneration()).isEqualTo(3);
    assertThat(s.getReplicas()).isEqualTo(5);
    assertThat(s.getUpdatedReplicas()).isEqualTo(3);
    assertThat(s.getReadyReplicas()).isEqualTo(4);
    assertThat(s.getAvailableReplicas()).isEqualTo(3);
    assertThat(s.getUnavailableReplicas()).isEqualTo(2);
    DeploymentCondition available = DeploymentConditions.get(s, DeploymentConditions.AVAILABLE).orElseThrow();
    assertThat(available.getStatus()).isEqualTo("True"); // 3 >= 4 - 1
    assertThat(available.getReason()).isEqualTo(DeploymentConditions.MINIMUM_REPLICAS_AVAILABLE);

    DeploymentStatus.Builder low = DeploymentStatuses.calculate(d, List.of(rs("new", 4, 4, 2, 2)), null, NOW);
    assertThat(DeploymentConditions.get(low, DeploymentConditions.AVAILABLE).orElseThrow().getStatus()).isEqualTo("False");
  }

  @Test
  void progressingBecomesCompleteOrTimesOut() {
    Deployment d = deployment(2, "1", "0", 1);
    ReplicaSet fresh = rs("web-abc", 2, 2, 2, 2);
    DeploymentStatus.Builder done = DeploymentStatuses.calculate(d, List.of(fresh), fresh, NOW);
    DeploymentStatuses.applyProgress(d, done, fresh, NOW);
    assertThat(DeploymentConditions.get(done, DeploymentConditions.PROGRESSING).orElseThrow().getReason())
        .isEqualTo(DeploymentConditions.NEW_RS_AVAILABLE);

    // Stuck: Progressing last updated 61 s ago with a 60 s deadline and nothing changed since.
    DeploymentCondition stale = DeploymentConditions.of(DeploymentConditions.PROGRESSING, "True",
        DeploymentConditions.RS_UPDATED, "", NOW.minusSeconds(61));
    ReplicaSet stuck = rs("web-abc", 2, 2, 0, 0);
    Deployment withStatus = d.toBuilder().setStatus(DeploymentStatus.newBuilder().setReplicas(2).setUpdatedReplicas(2)
        .addConditions(stale)).build();
    DeploymentStatus.Builder s = DeploymentStatuses.calculate(withStatus, List.of(stuck), stuck, NOW);
    DeploymentStatuses.applyProgress(withStatus, s, stuck, NOW);
    DeploymentCondition c = DeploymentConditions.get(s, DeploymentConditions.PROGRESSING).orElseThrow();
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo(DeploymentConditions.TIMED_OUT);

    // Before the deadline: look again when it would pass.
    assertThat(DeploymentStatuses.untilTimeout(withStatus, withStatus.getStatus(), NOW.minusSeconds(30)))
        .contains(Duration.ofSeconds(30));
  }

  @Test
  void setKeepsTransitionTimeWhenOnlyTheReasonChanges() {
    DeploymentStatus.Builder s = DeploymentStatus.newBuilder();
    DeploymentConditions.set(s, DeploymentConditions.of("Progressing", "True", "A", "", NOW.minusSeconds(100)));
    DeploymentConditions.set(s, DeploymentConditions.of("Progressing", "True", "B", "", NOW));
    DeploymentCondition c = DeploymentConditions.get(s, "Progressing").orElseThrow();
    assertThat(c.getReason()).isEqualTo("B");
    assertThat(Timestamps.toInstant(c.getLastTransitionTime())).isEqualTo(NOW.minusSeconds(100));
    assertThat(s.getConditionsCount()).isEqualTo(1);
  }

  @Test
  void revisionsRiseAndRememberHistory() {
    Deployment d = Deployment.newBuilder().setMetadata(ObjectMeta.newBuilder().putAnnotations("team", "a")
        .putAnnotations(Revisions.REVISION, "9")).build();
    ObjectMeta rs = ObjectMeta.newBuilder().putAnnotations(Revisions.REVISION, "1").build();
    ObjectMeta bumped = Revisions.forNewReplicaSet(d, rs, 4);
    assertThat(Revisions.of(bumped)).isEqualTo(4);
    assertThat(bumped.getAnnotationsMap()).containsEntry(Revisions.REVISION_HISTORY, "1").containsEntry("team", "a");
    assertThat(Revisions.of(Revisions.forNewReplicaSet(d, bumped, 3))).isEqualTo(4); // never lowered
    assertThat(Revisions.forNewReplicaSet(d, bumped, 6).getAnnotationsMap()).containsEntry(Revisions.REVISION_HISTORY, "1,4");
    assertThat(Revisions.of(ObjectMeta.getDefaultInstance())).isZero();
  }
}
