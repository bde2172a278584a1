package dev.skiff.scheduler.framework.plugins;

import static dev.skiff.scheduler.TestObjects.affinityTerm;
import static dev.skiff.scheduler.TestObjects.labels;
import static dev.skiff.scheduler.TestObjects.node;
import static dev.skiff.scheduler.TestObjects.onNode;
import static dev.skiff.scheduler.TestObjects.pod;
import static dev.skiff.scheduler.TestObjects.podAffinity;
import static dev.skiff.scheduler.TestObjects.podAntiAffinity;
import static dev.skiff.scheduler.TestObjects.podLabels;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.WeightedPodAffinityTerm;
import dev.skiff.scheduler.FakeCluster;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Snapshot;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InterPodAffinityTest {
  private final InterPodAffinity plugin = new InterPodAffinity();

  /** Zone a: a1 (runs app=db), a2; zone b: b1 (runs app=web with anti-affinity to app=batch). */
  private static FakeCluster cluster() {
    return new FakeCluster()
        .node(labels(node("a1", "4", "8Gi"), "zone", "a", "host", "a1"))
        .node(labels(node("a2", "4", "8Gi"), "zone", "a", "host", "a2"))
        .node(labels(node("b1", "4", "8Gi"), "zone", "b", "host", "b1"))
        .node(node("nolabels", "4", "8Gi"))
        .pod(onNode(podLabels(pod("db", null, null), "app", "db"), "a1"))
        .pod(onNode(podAntiAffinity(podLabels(pod("web", null, null), "app", "web"),
            affinityTerm("zone", Map.of("app", "batch"))), "b1"));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("affinity to db by zone",
            podAffinity(pod("p", null, null), affinityTerm("zone", Map.of("app", "db"))),
            List.of("a1", "a2")),
        Arguments.of("affinity to db by host",
            podAffinity(pod("p", null, null), affinityTerm("host", Map.of("app", "db"))),
            List.of("a1")),
        Arguments.of("affinity to nothing: nowhere",
            podAffinity(pod("p", null, null), affinityTerm("zone", Map.of("app", "none"))),
            List.of()),
        Arguments.of("first of a self-selecting group goes anywhere with the key",
            podAffinity(podLabels(pod("p", null, null), "app", "cache"),
                affinityTerm("zone", Map.of("app", "cache"))),
            List.of("a1", "a2", "b1")),
        Arguments.of("anti-affinity to db by zone",
            podAntiAffinity(pod("p", null, null), affinityTerm("zone", Map.of("app", "db"))),
            List.of("b1", "nolabels")),
        Arguments.of("existing pod's anti-affinity keeps batch out of zone b",
            podLabels(pod("p", null, null), "app", "batch"),
            List.of("a1", "a2", "nolabels")),
        Arguments.of("other namespace is not selected",
            podAntiAffinity(ns(pod("p", null, null), "other"), affinityTerm("zone", Map.of("app", "db"))),
            List.of("a1", "a2", "b1", "nolabels")));
  }

  private static Pod.Builder ns(Pod.Builder p, String ns) {
    p.getMetadataBuilder().setNamespace(ns);
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filter(String name, Pod.Builder pod, List<String> fits) {
    FakeCluster c = cluster();
    Snapshot snapshot = c.snapshot();
    PodInfo p = PodInfo.of(pod.build());
    CycleState state = new CycleState();
    var pre = plugin.preFilter(state, p, snapshot);
    List<String> result = snapshot.list().stream()
        .filter(n -> pre.status().isSkip() || plugin.filter(state, p, n).isSuccess())
        .map(NodeInfo::name).toList();
    assertThat(result).containsExactlyInAnyOrderElementsOf(fits);
  }

  @Test
  void preferredAffinityScoresTheDomain() {
    FakeCluster c = cluster();
    Pod.Builder p = pod("p", null, null);
    p.getSpecBuilder().getAffinityBuilder().getPodAffinityBuilder()
        .addPreferredDuringSchedulingIgnoredDuringExecution(WeightedPodAffinityTerm.newBuilder()
            .setWeight(10).setPodAffinityTerm(affinityTerm("zone", Map.of("app", "db"))));
    PodInfo pi = PodInfo.of(p.build());
    CycleState state = new CycleState();
    List<NodeInfo> nodes = List.of(c.get("a1"), c.get("a2"), c.get("b1"));
    assertThat(plugin.preScore(state, pi, nodes, c.snapshot()).isSuccess()).isTrue();
    long[] scores = nodes.stream().mapToLong(n -> plugin.score(state, pi, n)).toArray();
    plugin.normalize(state, pi, scores);
    assertThat(scores).containsExactly(100, 100, 0);
  }
}
