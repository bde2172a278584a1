package dev.skiff.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.DeploymentCondition;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.client.api.Kinds;
import dev.skiff.controllers.WorkLoop;
import dev.skiff.controllers.ownership.OwnerRefs;
import dev.skiff.controllers.pods.Pods;
import dev.skiff.controllers.replicaset.ReplicaSetController;
import dev.skiff.controllers.testing.Harness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {
  static final Map<String, String> WEB = Map.of("app", "web");
  Harness h;
  List<WorkLoop> loops;

  @BeforeEach
  void setUp() {
    h = Harness.start();
    h.objects().namespace("ns");
    h.objects().node("n1", true);
    loops = List.of(new DeploymentController(h.ctx()).loop(), new ReplicaSetController(h.ctx()).loop());
    h.startInformers();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private Deployment live() {
    return h.client().resource(Kinds.DEPLOYMENT).get("ns", "web");
  }

  private List<ReplicaSet> replicaSets() {
    String uid = live().getMetadata().getUid();
    return h.client().resource(Kinds.REPLICA_SET).list("ns").getItemsList().stream()
        .filter(rs -> OwnerRefs.isControlledBy(rs.getMetadata(), uid))
        .sorted(Comparator.comparing(rs -> rs.getMetadata().getName())).toList();
  }

  private boolean complete() {
    Deployment d = live();
    var s = d.getStatus();
    int want = d.getSpec().getReplicas();
    return s.getObservedGeneration() == d.getMetadata().getGeneration() && s.getUpdatedReplicas() == want
        && s.getReplicas() == want && s.getAvailableReplicas() == want
        && replicaSets().stream().filter(rs -> rs.getSpec().getReplicas() > 0).count() == 1;
  }

  private void rollOut(Runnable check) {
    h.settle(this::complete, () -> {
      h.objects().kubeletRound("ns", List.of("n1"));
      check.run();
    }, loops);
  }

  private void setImage(String image) {
    h.objects().updateDeployment("ns", "web", spec -> {
      var b = spec.toBuilder();
      b.getTemplateBuilder().getSpecBuilder().getContainersBuilder(0).setImage(image);
      return b.build();
    });
  }

  @Test
  void createsReplicaSetNamedByTemplateHashWithRevisionOne() {
    h.objects().deployment("ns", "web", 3, WEB, "nginx:1", "RollingUpdate", "25%", "25%");
    rollOut(() -> {});
    ReplicaSet rs = replicaSets().get(0);
    String hash = PodTemplateHash.compute(live().getSpec().getTemplate(), 0);
    assertThat(rs.getMetadata().getName()).isEqualTo("web-" + hash);
    assertThat(rs.getSpec().getSelector().getMatchLabelsMap()).containsEntry(PodTemplateHash.LABEL, hash);
    assertThat(rs.getSpec().getTemplate().getMetadata().getLabelsMap()).containsEntry(PodTemplateHash.LABEL, hash);
    assertThat(rs.getMetadata().getAnnotationsMap()).containsEntry(Revisions.REVISION, "1");
    assertThat(live().getMetadata().getAnnotationsMap()).containsEntry(Revisions.REVISION, "1");
    var s = live().getStatus();
    assertThat(s.getReadyReplicas()).isEqualTo(3);
    assertThat(s.getUnavailableReplicas()).isZero();
    assertThat(condition(DeploymentConditions.AVAILABLE).getStatus()).isEqualTo("True");
    assertThat(condition(DeploymentConditions.PROGRESSING).getReason()).isEqualTo(DeploymentConditions.NEW_RS_AVAILABLE);
  }

  private DeploymentCondition condition(String type) {
    return DeploymentConditions.get(live().getStatus(), type).orElseThrow();
  }

  @Test
  void rollingUpdateNeverBreaksSurgeOrAvailabilityAndRollbackReusesTheOldReplicaSet() {
    h.objects().deployment("ns", "web", 4, WEB, "nginx:1", "RollingUpdate", "1", "1");
    rollOut(() -> {});
    String first = replicaSets().get(0).getMetadata().getName();
    List<int[]> history = new ArrayList<>();
    setImage("nginx:2");
    rollOut(() -> {
      int specSum = replicaSets().stream().mapToInt(rs -> rs.getSpec().getReplicas()).sum();
      int ready = (int) h.objects().activePods("ns").stream().filter(Pods::isReady).count();
      history.add(new int[] {specSum, ready});
    });
    assertThat(history).isNotEmpty();
    assertThat(history).allSatisfy(step -> {
      assertThat(step[0]).as("replicas + maxSurge").isLessThanOrEqualTo(5);
      assertThat(step[1]).as("replicas - maxUnavailable").isGreaterThanOrEqualTo(3);
    });
    assertThat(replicaSets()).hasSize(2);
    assertThat(live().getMetadata().getAnnotationsMap()).containsEntry(Revisions.REVISION, "2");
    assertThat(h.objects().activePods("ns")).hasSize(4)
        .allMatch(p -> p.getSpec().getContainers(0).getImage().equals("nginx:2"));

    // Rollback: the CLI copies the old ReplicaSet's template (without the hash label) back.
    ReplicaSet old = h.client().resource(Kinds.REPLICA_SET).get("ns", first);
    h.objects().updateDeployment("ns", "web", spec -> spec.toBuilder()
        .setTemplate(PodTemplateHash.withoutHashLabel(old.getSpec().getTemplate())).build());
    rollOut(() -> {});
    assertThat(replicaSets()).hasSize(2);
    ReplicaSet reused = h.client().resource(Kinds.REPLICA_SET).get("ns", first);
    assertThat(reused.getSpec().getReplicas()).isEqualTo(4);
    assertThat(reused.getMetadata().getAnnotationsMap()).containsEntry(Revisions.REVISION, "3")
        .containsEntry(Revisions.REVISION_HISTORY, "1");
    assertThat(live().getMetadata().getAnnotationsMap()).containsEntry(Revisions.REVISION, "3");
  }

  @Test
  void recreateScalesTheOldReplicaSetToZeroBeforeTheNewOneGrows() {
    h.objects().deployment("ns", "web", 2, WEB, "nginx:1", "Recreate", "", "");
    rollOut(() -> {});
    List<Boolean> overlaps = new ArrayList<>();
    setImage("nginx:2");
    rollOut(() -> {
      long sets = replicaSets().stream().filter(rs -> rs.getSpec().getReplicas() > 0).count();
      long images = h.objects().pods("ns").stream().map(p -> p.getSpec().getContainers(0).getImage()).distinct().count();
      overlaps.add(sets > 1 || images > 1);
    });
    assertThat(overlaps).containsOnly(false);
    assertThat(h.objects().activePods("ns")).hasSize(2);
  }

  @Test
  void pausedDeploymentDoesNotRollOutUntilResumedButStillScales() {
    h.objects().deployment("ns", "web", 2, WEB, "nginx:1", "RollingUpdate", "1", "0");
    rollOut(() -> {});
    h.objects().updateDeployment("ns", "web", spec -> spec.toBuilder().setPaused(true).build());
    h.settle(() -> DeploymentConditions.get(live().getStatus(), DeploymentConditions.PROGRESSING)
        .map(c -> c.getReason().equals(DeploymentConditions.PAUSED)).orElse(false), loops.toArray(WorkLoop[]::new));
    setImage("nginx:2");
    h.objects().updateDeployment("ns", "web", spec -> spec.toBuilder().setReplicas(3).build());
    h.settle(() -> live().getStatus().getAvailableReplicas() == 3 && live().getStatus().getReplicas() == 3,
        () -> h.objects().kubeletRound("ns", List.of("n1")), loops);
    assertThat(replicaSets()).hasSize(1);
    assertThat(h.objects().activePods("ns")).hasSize(3)
        .allMatch(p -> p.getSpec().getContainers(0).getImage().equals("nginx:1"));

    h.objects().updateDeployment("ns", "web", spec -> spec.toBuilder().setPaused(false).build());
    h.settle(() -> complete() && h.objects().activePods("ns").stream()
            .allMatch(p -> p.getSpec().getContainers(0).getImage().equals("nginx:2")),
        () -> h.objects().kubeletRound("ns", List.of("n1")), loops);
    assertThat(replicaSets()).hasSize(2);
  }

  @Test
  void progressDeadlineExceededWhenPodsNeverBecomeReady() {
    h.objects().deployment("ns", "web", 2, WEB, "nginx:1", "RollingUpdate", "1", "0");
    h.objects().updateDeployment("ns", "web", spec -> spec.toBuilder().setProgressDeadlineSeconds(10).build());
    WorkLoop[] all = loops.toArray(WorkLoop[]::new);
    h.settle(() -> live().getStatus().getReplicas() == 2
        && DeploymentConditions.get(live().getStatus(), DeploymentConditions.PROGRESSING).isPresent(), all);
    assertThat(condition(DeploymentConditions.PROGRESSING).getStatus()).isEqualTo("True");
    h.clock().advance(Duration.ofSeconds(11));
    h.settle(() -> condition(DeploymentConditions.PROGRESSING).getReason().equals(DeploymentConditions.TIMED_OUT), all);
    assertThat(condition(DeploymentConditions.PROGRESSING).getStatus()).isEqualTo("False");
    assertThat(condition(DeploymentConditions.AVAILABLE).getStatus()).isEqualTo("False");
  }

  @Test
  void revisionHistoryLimitDeletesOldZeroReplicaSets() {
    h.objects().deployment("ns", "web", 1, WEB, "nginx:1", "RollingUpdate", "1", "0");
    h.objects().updateDeployment("ns", "web", spec -> spec.toBuilder().setRevisionHistoryLimit(1).build());
    rollOut(() -> {});
    for (String image : List.of("nginx:2", "nginx:3", "nginx:4")) {
      setImage(image);
      rollOut(() -> {});
    }
    h.settle(() -> replicaSets().size() == 2, () -> h.objects().kubeletRound("ns", List.of("n1")), loops);
    assertThat(replicaSets()).extracting(rs -> rs.getMetadata().getAnnotationsMap().get(Revisions.REVISION))
        .containsExactlyInAnyOrder("3", "4");
  }

  @Test
  void scalingMidRolloutKeepsTheTotalWithinBounds() {
    h.objects().deployment("ns", "web", 2, WEB, "nginx:1", "RollingUpdate", "1", "0");
    rollOut(() -> {});
    h.objects().updateDeployment("ns", "web", spec -> spec.toBuilder().setReplicas(5).build());
    rollOut(() -> {});
    assertThat(h.objects().activePods("ns")).hasSize(5);
    h.objects().updateDeployment("ns", "web", spec -> spec.toBuilder().setReplicas(1).build());
    rollOut(() -> {});
    List<Pod> left = h.objects().activePods("ns");
    assertThat(left).hasSize(1);
  }
}
