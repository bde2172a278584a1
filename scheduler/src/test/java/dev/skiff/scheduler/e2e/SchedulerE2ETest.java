package dev.skiff.scheduler.e2e;

import static dev.skiff.scheduler.TestObjects.affinityTerm;
import static dev.skiff.scheduler.TestObjects.labels;
import static dev.skiff.scheduler.TestObjects.node;
import static dev.skiff.scheduler.TestObjects.pod;
import static dev.skiff.scheduler.TestObjects.podAffinity;
import static dev.skiff.scheduler.TestObjects.podAntiAffinity;
import static dev.skiff.scheduler.TestObjects.podLabels;
import static dev.skiff.scheduler.TestObjects.spread;
import static dev.skiff.scheduler.TestObjects.taint;
import static dev.skiff.scheduler.TestObjects.tolerate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.Event;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import dev.skiff.api.v1.PriorityClass;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.ApiException;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.scheduler.Scheduler;
import dev.skiff.scheduler.SchedulerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler against a real apiserver and Raft store, with nodes created as objects. */
class SchedulerE2ETest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private InProcessCluster cluster;
  private SkiffClient client;
  private final List<Scheduler> schedulers = new ArrayList<>();

  @BeforeEach
  void startCluster() {
    cluster = InProcessCluster.start();
    client = cluster.client();
    for (String ns : List.of("default", "kube-system")) {
      try {
        client.resource(Kinds.NAMESPACE).create(Namespace.newBuilder()
            .setMetadata(ObjectMeta.newBuilder().setName(ns)).build());
      } catch (ApiException e) {
        if (!e.isAlreadyExists()) {
          throw e;
        }
      }
    }
  }

  @AfterEach
  void stop() {
    schedulers.forEach(Scheduler::close);
    cluster.close();
  }

  private Scheduler scheduler(SchedulerConfig config) {
    Scheduler s = new Scheduler(client, config, Clock.systemUTC());
    schedulers.add(s);
    s.start();
    return s;
  }

  private Scheduler scheduler() {
    return scheduler(SchedulerConfig.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)));
  }

  private void createNode(Node.Builder node) {
    client.resource(Kinds.NODE).create(node.build());
  }

  private void createPod(Pod.Builder pod) {
    pod.getMetadataBuilder().clearUid();
    client.resource(Kinds.POD).create(pod.build());
  }

  private Pod getPod(String name) {
    return client.resource(Kinds.POD).get("default", name);
  }

  private String awaitBound(String name) {
    await().atMost(WAIT).until(() -> !getPod(name).getSpec().getNodeName().isEmpty());
    return getPod(name).getSpec().getNodeName();
  }

  private PodCondition awaitUnschedulable(String name) {
    await().atMost(WAIT).until(() -> scheduledCondition(getPod(name))
        .filter(c -> c.getReason().equals("Unschedulable")).isPresent());
    return scheduledCondition(getPod(name)).orElseThrow();
  }

  private static Optional<PodCondition> scheduledCondition(Pod pod) {
    return pod.getStatus().getConditionsList().stream()
        .filter(c -> c.getType().equals("PodScheduled")).findFirst();
  }

  private List<Event> events(String podName, String reason) {
    return client.resource(Kinds.EVENT).list("default").getItemsList().stream()
        .filter(e -> e.getInvolvedObject().getName().equals(podName) && e.getReason().equals(reason))
        .toList();
  }

  @Test
  void resourcesSelectorsTaintsAndThePendingMessage() {
    scheduler();
    createNode(labels(node("n1", "2", "4Gi"), "zone", "a"));
    createNode(taint(labels(node("n2", "2", "4Gi"), "zone", "b"), "dedicated", "gpu", "NoSchedule"));
    Pod.Builder selected = tolerate(pod("selected", "500m", "1Gi"), "dedicated", "Equal", "gpu", "NoSchedule");
    selected.getSpecBuilder().putNodeSelector("zone", "b");
    createPod(selected);
    createPod(pod("big1", "1500m", "1Gi"));
    assertThat(awaitBound("selected")).isEqualTo("n2");
    assertThat(awaitBound("big1")).isEqualTo("n1");
    createPod(pod("big2", "1500m", "1Gi"));
    PodCondition c = awaitUnschedulable("big2");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getMessage()).startsWith("0/2 nodes are available: 1 Insufficient cpu, "
        + "1 node(s) had untolerated taint {dedicated: gpu}.");
    assertThat(getPod("big2").getStatus().getPhase()).isEqualTo("Pending");
    await().atMost(WAIT).until(() -> !events("big2", "FailedScheduling").isEmpty());
    assertThat(events("big2", "FailedScheduling").get(0).getType()).isEqualTo("Warning");
    await().atMost(WAIT).until(() -> !events("big1", "Scheduled").isEmpty());
    // A new node is a relevant event: the pending pod is retried and lands there.
    createNode(labels(node("n3", "2", "4Gi"), "zone", "c"));
    assertThat(awaitBound("big2")).isEqualTo("n3");
  }

  @Test
  void affinityAntiAffinityAndTopologySpread() {
    scheduler();
    for (String zone : List.of("a", "b", "c")) {
      createNode(labels(node("node-" + zone, "4", "8Gi"), "zone", zone,
          "kubernetes.io/hostname", "node-" + zone));
    }
    Set<String> zones = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      createPod(spread(podLabels(pod("web" + i, "100m", "64Mi"), "app", "web"), "zone", 1,
          "DoNotSchedule", Map.of("app", "web")));
      zones.add(awaitBound("web" + i));
    }
    assertThat(zones).containsExactlyInAnyOrder("node-a", "node-b", "node-c");
    createPod(podAffinity(pod("sidecar", "100m", "64Mi"),
        affinityTerm("kubernetes.io/hostname", Map.of("app", "web"))));
    assertThat(awaitBound("sidecar")).startsWith("node-");
    createPod(podAntiAffinity(pod("loner", "100m", "64Mi"), affinityTerm("zone", Map.of("app", "web"))));
    assertThat(awaitUnschedulable("loner").getMessage())
        .isEqualTo("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. "
            + "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.");
  }

  @Test
  void higherPriorityPodPreemptsAndTheVictimIsDeletedGracefully() {
    scheduler();
    var classes = client.resource(Kinds.PRIORITY_CLASS);
    classes.create(PriorityClass.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("low"))
        .setValue(10).build());
    classes.create(PriorityClass.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("high"))
        .setValue(1000).build());
    createNode(node("only", "1", "4Gi"));
    Pod.Builder low = pod("victim", "800m", "64Mi");
    low.getSpecBuilder().setPriorityClassName("low");
    createPod(low);
    awaitBound("victim");
    Pod.Builder high = pod("preemptor", "800m", "64Mi");
    high.getSpecBuilder().setPriorityClassName("high");
    createPod(high);
    await().atMost(WAIT).until(() -> getPod("victim").getMetadata().hasDeletionTimestamp());
    // The eviction and the preemptor's status write are independent API calls: either may land first.
    await().atMost(WAIT).untilAsserted(() ->
        assertThat(getPod("preemptor").getStatus().getNominatedNodeName()).isEqualTo("only"));
    await().atMost(WAIT).until(() -> !events("victim", "Preempted").isEmpty());
    // The node agent would now stop the containers and finish the deletion.
    client.resource(Kinds.POD).delete(DeleteRequest.newBuilder().setNamespace("default")
        .setName("victim").setGracePeriodSeconds(0).build());
    assertThat(awaitBound("preemptor")).isEqualTo("only");
  }

  @Test
  void twoSchedulersSideBySide() {
    scheduler();
    scheduler(SchedulerConfig.defaults().withSchedulerName("batch-scheduler"));
    createNode(node("n1", "4", "8Gi"));
    createPod(pod("default-pod", "100m", "64Mi"));
    Pod.Builder batch = pod("batch-pod", "100m", "64Mi");
    batch.getSpecBuilder().setSchedulerName("batch-scheduler");
    createPod(batch);
    Pod.Builder nobody = pod("nobodys-pod", "100m", "64Mi");
    nobody.getSpecBuilder().setSchedulerName("missing-scheduler");
    createPod(nobody);
    awaitBound("default-pod");
    awaitBound("batch-pod");
    await().atMost(WAIT).until(() -> !events("batch-pod", "Scheduled").isEmpty());
    assertThat(events("batch-pod", "Scheduled").get(0).getSource().getComponent())
        .isEqualTo("default-scheduler");
    assertThat(getPod("nobodys-pod").getSpec().getNodeName()).isEmpty();
    assertThat(scheduledCondition(getPod("nobodys-pod"))).isEmpty();
  }

  @Test
  void standbyTakesOverWhenTheLeaderStops() {
    SchedulerConfig base = SchedulerConfig.defaults()
        .withLeaseTimings("kube-system", Duration.ofSeconds(2), Duration.ofMillis(1500),
            Duration.ofMillis(200));
    Scheduler first = scheduler(base.withLeaderElection(true, "first"));
    await().atMost(WAIT).until(first::isLeader);
    Scheduler second = scheduler(base.withLeaderElection(true, "second"));
    createNode(node("n1", "4", "8Gi"));
    createPod(pod("before", "100m", "64Mi"));
    awaitBound("before");
    assertThat(second.isLeader()).isFalse();
    assertThat(second.stats().bound()).isZero();
    first.close();
    await().atMost(WAIT).until(second::isLeader);
    createPod(pod("after", "100m", "64Mi"));
    awaitBound("after");
    assertThat(second.stats().bound()).isEqualTo(1);
  }
}
