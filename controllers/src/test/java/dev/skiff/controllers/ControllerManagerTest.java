package dev.skiff.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.Toleration;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.controllers.pods.Pods;
import dev.skiff.controllers.testing.FakeNodes;
import dev.skiff.controllers.testing.Fixtures;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** End to end: the whole controller manager on an in-process cluster, real clock, fake nodes. */
class ControllerManagerTest {
  static final Map<String, String> WEB = Map.of("app", "web");
  static final Duration WAIT = Duration.ofSeconds(30);

  InProcessCluster cluster;
  SkiffClient client;
  Fixtures fixtures;

  @BeforeEach
  void setUp() {
    cluster = InProcessCluster.start();
    client = cluster.client();
    fixtures = new Fixtures(client, Clock.systemUTC());
    fixtures.namespace("default"); // where events about cluster-scoped objects go
    fixtures.namespace("ns");
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  static ControllerManagerConfig config(String identity) {
    return ControllerManagerConfig.defaults()
        .withLeaderElection(true, identity, Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200))
        .withNodeLifecycle(Duration.ofSeconds(4), Duration.ofMillis(500), Duration.ofSeconds(2));
  }

  private List<Pod> active() {
    return fixtures.activePods("ns");
  }

  private long readyActive() {
    return active().stream().filter(Pods::isReady).count();
  }

  private Deployment deployment() {
    return client.resource(Kinds.DEPLOYMENT).get("ns", "web");
  }

  @Test
  void standbyTakesOverWithoutDuplicatingPodsAndScales() throws Exception {
    try (FakeNodes nodes = new FakeNodes(fixtures, "ns", List.of("n1"));
        ControllerManager first = new ControllerManager(client, config("first"), Clock.systemUTC());
        ControllerManager second = new ControllerManager(client, config("second"), Clock.systemUTC())) {
      first.start();
      await().atMost(WAIT).until(first::isRunning);
      second.start();
      fixtures.deployment("ns", "web", 3, WEB, "nginx:1", "RollingUpdate", "1", "0");
      await().atMost(WAIT).until(() -> readyActive() == 3 && deployment().getStatus().getAvailableReplicas() == 3);
      assertThat(second.isRunning()).isFalse();

      AtomicInteger most = new AtomicInteger();
      first.close(); // releases the lease
      await().atMost(WAIT).until(() -> {
        most.accumulateAndGet(active().size(), Math::max);
        return second.isRunning();
      });
      fixtures.updateDeployment("ns", "web", s -> s.toBuilder().setReplicas(5).build());
      await().atMost(WAIT).until(() -> {
        most.accumulateAndGet(active().size(), Math::max);
        return readyActive() == 5 && deployment().getStatus().getAvailableReplicas() == 5;
      });
      await().during(Duration.ofMillis(700)).atMost(WAIT).until(() -> active().size() == 5);
      assertThat(most.get()).isLessThanOrEqualTo(5);
    }
  }

  @Test
  void podsOfADeadNodeAreEvictedAndReplacedOnALiveOne() throws Exception {
    try (FakeNodes nodes = new FakeNodes(fixtures, "ns", List.of("n1", "n2"));
        ControllerManager cm = new ControllerManager(client, config("cm"), Clock.systemUTC())) {
      cm.start();
      fixtures.deployment("ns", "web", 2, WEB, "nginx:1", "RollingUpdate", "1", "0");
      // Tolerate the unreachable taint for one second only (Kubernetes' default is 300 s).
      fixtures.updateDeployment("ns", "web", s -> {
        var b = s.toBuilder();
        b.getTemplateBuilder().getSpecBuilder().addTolerations(Toleration.newBuilder()
            .setKey("node.kubernetes.io/unreachable").setOperator("Exists").setEffect("NoExecute").setTolerationSeconds(1));
        return b.build();
      });
      await().atMost(WAIT).until(() -> readyActive() == 2 && active().stream().anyMatch(p -> p.getSpec().getNodeName().equals("n1"))
          && deployment().getStatus().getUpdatedReplicas() == 2 && deployment().getStatus().getReplicas() == 2);
      nodes.kill("n1");
      await().atMost(WAIT).until(() -> readyActive() == 2
          && active().stream().allMatch(p -> p.getSpec().getNodeName().equals("n2")));
      var n1 = client.resource(Kinds.NODE).get("", "n1");
      assertThat(n1.getStatus().getConditionsList()).anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("Unknown"));
      assertThat(n1.getSpec().getTaintsList()).anyMatch(t -> t.getKey().equals("node.kubernetes.io/unreachable")
          && t.getEffect().equals("NoExecute"));
    }
  }

  @Test
  void cascadingOrphanAndNamespaceDeletion() throws Exception {
    try (FakeNodes nodes = new FakeNodes(fixtures, "ns", List.of("n1"));
        ControllerManager cm = new ControllerManager(client, config("cm"), Clock.systemUTC())) {
      cm.start();
      fixtures.deployment("ns", "web", 2, WEB, "nginx:1", "RollingUpdate", "1", "0");
      fixtures.deployment("ns", "keep", 1, Map.of("app", "keep"), "nginx:1", "RollingUpdate", "1", "0");
      await().atMost(WAIT).until(() -> readyActive() == 3);

      client.resource(Kinds.DEPLOYMENT).delete(DeleteRequest.newBuilder().setNamespace("ns").setName("web")
          .setPropagationPolicy("Background").build());
      await().atMost(WAIT).until(() -> active().size() == 1
          && client.resource(Kinds.REPLICA_SET).list("ns").getItemsList().size() == 1);

      client.resource(Kinds.DEPLOYMENT).delete(DeleteRequest.newBuilder().setNamespace("ns").setName("keep")
          .setPropagationPolicy("Orphan").build());
      await().atMost(WAIT).until(() -> client.resource(Kinds.DEPLOYMENT).find("ns", "keep").isEmpty());
      await().atMost(WAIT).until(() -> client.resource(Kinds.REPLICA_SET).list("ns").getItemsList().stream()
          .allMatch(rs -> rs.getMetadata().getOwnerReferencesList().isEmpty()));
      assertThat(active()).hasSize(1);

      client.resource(Kinds.NAMESPACE).delete("", "ns");
      await().atMost(WAIT).until(() -> client.resource(Kinds.NAMESPACE).find("", "ns").isEmpty());
      assertThat(client.resource(Kinds.POD).list("ns").getItemsList()).isEmpty();
    }
  }
}
