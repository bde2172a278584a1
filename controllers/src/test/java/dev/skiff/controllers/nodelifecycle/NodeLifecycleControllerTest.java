package dev.skiff.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.Pod;
import dev.skiff.client.api.Kinds;
import dev.skiff.controllers.ControllerManagerConfig;
import dev.skiff.controllers.WorkLoop;
import dev.skiff.controllers.pods.Pods;
import dev.skiff.controllers.testing.Harness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeLifecycleControllerTest {
  static final Duration GRACE = Duration.ofSeconds(40);
  Harness h;
  WorkLoop monitor;
  WorkLoop eviction;

  void start(int nodes) {
    ControllerManagerConfig config = Harness.testConfig().withNodeLifecycle(GRACE, Duration.ofSeconds(5), Duration.ofSeconds(30));
    h = Harness.start(config);
    h.objects().namespace("ns");
    for (int i = 1; i <= nodes; i++) {
      h.objects().node("n" + i, true);
      h.objects().renewLease("n" + i);
    }
    monitor = new NodeLifecycleController(h.ctx()).loop();
    eviction = new TaintEvictionController(h.ctx()).loop();
    h.startInformers();
  }

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private Node node(String name) {
    return h.client().resource(Kinds.NODE).get("", name);
  }

  private boolean tainted(String name, String key) {
    return NodeConditions.hasTaint(node(name), key, "NoExecute");
  }

  /** Renews the leases and waits until the informers show the renewals (before any step). */
  private void renew(String... nodes) {
    var leases = h.ctx().informers().informerFor(Kinds.LEASE).lister();
    for (String n : nodes) {
      h.objects().renewLease(n);
      String rv = h.client().resource(Kinds.LEASE).get(NodeLifecycleController.LEASE_NAMESPACE, n)
          .getMetadata().getResourceVersion();
      org.awaitility.Awaitility.await().until(() -> leases.get(NodeLifecycleController.LEASE_NAMESPACE, n)
          .map(l -> l.getMetadata().getResourceVersion().equals(rv)).orElse(false));
    }
  }

  private void step(WorkLoop... loops) {
    h.settle(() -> true, loops);
  }

  @Test
  void silentNodeBecomesUnknownTaintedAndItsPodsAreEvictedAfterTheirToleration() {
    start(2);
    Pod p1 = h.objects().pod("ns", "on-n1", Map.of("app", "web"));
    Pod tolerant = h.client().resource(Kinds.POD).create(p1.toBuilder().clearStatus()
        .setMetadata(p1.getMetadata().toBuilder().setName("tolerant").clearUid().clearResourceVersion().clearCreationTimestamp())
        .setSpec(p1.getSpec().toBuilder().clearTolerations().addTolerations(dev.skiff.api.v1.Toleration.newBuilder()
            .setKey(NodeConditions.UNREACHABLE_TAINT).setOperator("Exists").setEffect("NoExecute"))).build());
    Pod p2 = h.objects().pod("ns", "on-n2", Map.of("app", "web"));
    h.objects().bind(p1, "n1");
    h.objects().bind(tolerant, "n1");
    h.objects().bind(p2, "n2");
    h.objects().markReady(p1);
    step(monitor, eviction);

    h.clock().advance(GRACE.minusSeconds(1));
    renew("n2");
    step(monitor, eviction);
    assertThat(NodeConditions.readyStatus(node("n1"))).isEqualTo("True");

    h.clock().advance(Duration.ofSeconds(2));
    h.settle(() -> "Unknown".equals(NodeConditions.readyStatus(node("n1")))
        && tainted("n1", NodeConditions.UNREACHABLE_TAINT), monitor, eviction);
    assertThat(NodeConditions.ready(node("n1")).orElseThrow().getReason()).isEqualTo("NodeStatusUnknown");
    assertThat(NodeConditions.hasTaint(node("n1"), NodeConditions.UNREACHABLE_TAINT, "NoSchedule")).isTrue();
    assertThat(NodeConditions.readyStatus(node("n2"))).isEqualTo("True");
    h.settle(() -> !Pods.isReady(h.client().resource(Kinds.POD).get("ns", "on-n1")), monitor, eviction);

    // The apiserver adds Kubernetes' default toleration (300 s) at creation; the controller's own
    // default (30 s here) applies only to pods without one.
    Pod live = h.client().resource(Kinds.POD).get("ns", "on-n1");
    long seconds = live.getSpec().getTolerationsList().stream()
        .filter(t -> t.getKey().equals(NodeConditions.UNREACHABLE_TAINT)).findFirst()
        .map(t -> t.getTolerationSeconds()).orElse(30L);
    h.clock().advance(Duration.ofSeconds(seconds - 2));
    renew("n2");
    step(monitor, eviction);
    assertThat(Pods.isTerminating(h.client().resource(Kinds.POD).get("ns", "on-n1"))).isFalse();
    h.clock().advance(Duration.ofSeconds(3));
    renew("n2");
    h.settle(() -> h.client().resource(Kinds.POD).find("ns", "on-n1").map(Pods::isTerminating).orElse(true),
        monitor, eviction);
    assertThat(Pods.isTerminating(h.client().resource(Kinds.POD).get("ns", "tolerant"))).isFalse();
    assertThat(Pods.isTerminating(h.client().resource(Kinds.POD).get("ns", "on-n2"))).isFalse();

    // The agent comes back: taints go.
    renew("n1");
    h.objects().nodeReady("n1", true);
    h.settle(() -> node("n1").getSpec().getTaintsCount() == 0, monitor, eviction);
  }

  @Test
  void reportedNotReadyGetsTheNotReadyTaint() {
    start(2);
    h.objects().nodeReady("n1", false);
    h.settle(() -> tainted("n1", NodeConditions.NOT_READY_TAINT), monitor, eviction);
    assertThat(tainted("n1", NodeConditions.UNREACHABLE_TAINT)).isFalse();
  }

  private void renewHealthy() {
    for (int i = 4; i <= 10; i++) {
      renew("n" + i);
    }
  }

  @Test
  void evictionTaintsArePacedWhenSeveralNodesFailAtOnce() {
    start(10);
    step(monitor); // the controller sees every node's first heartbeat
    h.clock().advance(GRACE.plusSeconds(1));
    renewHealthy();
    h.settle(() -> List.of("n1", "n2", "n3").stream().allMatch(n -> "Unknown".equals(NodeConditions.readyStatus(node(n))))
        && List.of("n1", "n2", "n3").stream().anyMatch(n -> tainted(n, NodeConditions.UNREACHABLE_TAINT)), monitor);
    step(monitor);
    assertThat(List.of("n1", "n2", "n3").stream().filter(n -> tainted(n, NodeConditions.UNREACHABLE_TAINT)).count())
        .isEqualTo(1); // 0.1 nodes per second: one now, the next ten seconds later
    h.clock().advance(Duration.ofSeconds(10));
    renewHealthy();
    h.settle(() -> List.of("n1", "n2", "n3").stream().filter(n -> tainted(n, NodeConditions.UNREACHABLE_TAINT)).count() == 2, monitor);
  }
}
