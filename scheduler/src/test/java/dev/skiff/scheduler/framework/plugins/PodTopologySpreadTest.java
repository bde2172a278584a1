package dev.skiff.scheduler.framework.plugins;

import static dev.skiff.scheduler.TestObjects.labels;
import static dev.skiff.scheduler.TestObjects.node;
import static dev.skiff.scheduler.TestObjects.onNode;
import static dev.skiff.scheduler.TestObjects.pod;
import static dev.skiff.scheduler.TestObjects.podLabels;
import static dev.skiff.scheduler.TestObjects.spread;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Pod;
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

class PodTopologySpreadTest {
  private final PodTopologySpread plugin = new PodTopologySpread();

  /** Zone a has 2 app=web pods, zone b has 1, zone c none; node "bare" has no zone label. */
  private static FakeCluster cluster() {
    return new FakeCluster()
        .node(labels(node("a1", "4", "8Gi"), "zone", "a"))
        .node(labels(node("b1", "4", "8Gi"), "zone", "b"))
        .node(labels(node("c1", "4", "8Gi"), "zone", "c"))
        .node(node("bare", "4", "8Gi"))
        .pod(onNode(podLabels(pod("w1", null, null), "app", "web"), "a1"))
        .pod(onNode(podLabels(pod("w2", null, null), "app", "web"), "a1"))
        .pod(onNode(podLabels(pod("w3", null, null), "app", "web"), "b1"))
        .pod(onNode(podLabels(pod("other", null, null), "app", "db"), "c1"));
  }

  private static Pod.Builder web(int maxSkew) {
    return spread(podLabels(pod("p", null, null), "app", "web"), "zone", maxSkew, "DoNotSchedule",
        Map.of("app", "web"));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("maxSkew 1: only the emptiest zone", web(1), List.of("c1")),
        Arguments.of("maxSkew 2: b and c", web(2), List.of("b1", "c1")),
        Arguments.of("maxSkew 3: every labeled node", web(3), List.of("a1", "b1", "c1")),
        Arguments.of("no constraint: all", podLabels(pod("p", null, null), "app", "web"),
            List.of("a1", "b1", "c1", "bare")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filter(String name, Pod.Builder pod, List<String> fits) {
    Snapshot snapshot = cluster().snapshot();
    PodInfo p = PodInfo.of(pod.build());
    CycleState state = new CycleState();
    var pre = plugin.preFilter(state, p, snapshot);
    List<String> result = snapshot.list().stream()
        .filter(n -> pre.status().isSkip() || plugin.filter(state, p, n).isSuccess())
        .map(NodeInfo::name).toList();
    assertThat(result).containsExactlyInAnyOrderElementsOf(fits);
  }

  @Test
  void missingLabelIsUnresolvable() {
    FakeCluster c = cluster();
    PodInfo p = PodInfo.of(web(1).build());
    CycleState state = new CycleState();
    plugin.preFilter(state, p, c.snapshot());
    assertThat(plugin.filter(state, p, c.get("bare")).reasons())
        .containsExactly(PodTopologySpread.MISSING_LABEL_REASON);
    assertThat(plugin.filter(state, p, c.get("a1")).reasons())
        .containsExactly(PodTopologySpread.REASON);
  }

  @Test
  void scheduleAnywayScoresEmptierDomainsHigher() {
    FakeCluster c = cluster();
    PodInfo p = PodInfo.of(spread(podLabels(pod("p", null, null), "app", "web"), "zone", 1,
        "ScheduleAnyway", Map.of("app", "web")).build());
    CycleState state = new CycleState();
    List<NodeInfo> nodes = List.of(c.get("a1"), c.get("b1"), c.get("c1"));
    assertThat(plugin.preFilter(state, p, c.snapshot()).status().isSkip()).isTrue();
    assertThat(plugin.preScore(state, p, nodes, c.snapshot()).isSuccess()).isTrue();
    long[] scores = nodes.stream().mapToLong(n -> plugin.score(state, p, n)).toArray();
    plugin.normalize(state, p, scores);
    assertThat(scores[2]).isGreaterThan(scores[1]);
    assertThat(scores[1]).isGreaterThan(scores[0]);
  }
}
