package dev.skiff.scheduler.framework.plugins;

import static dev.skiff.scheduler.TestObjects.labels;
import static dev.skiff.scheduler.TestObjects.node;
import static dev.skiff.scheduler.TestObjects.pod;
import static dev.skiff.scheduler.TestObjects.req;
import static dev.skiff.scheduler.TestObjects.requireNodes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.NodeSelectorTerm;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PreferredSchedulingTerm;
import dev.skiff.scheduler.FakeCluster;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PreFilterResult;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeAffinityTest {
  private final NodeAffinity plugin = new NodeAffinity();
  private final FakeCluster cluster = new FakeCluster()
      .node(labels(node("n1", "4", "8Gi"), "zone", "a", "disk", "ssd", "cores", "8"));

  static NodeSelectorTerm term(dev.skiff.api.v1.NodeSelectorRequirement... reqs) {
    return NodeSelectorTerm.newBuilder().addAllMatchExpressions(List.of(reqs)).build();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("no constraints", pod("p", null, null), true),
        Arguments.of("nodeSelector match", sel(pod("p", null, null), "zone", "a"), true),
        Arguments.of("nodeSelector mismatch", sel(pod("p", null, null), "zone", "b"), false),
        Arguments.of("In", requireNodes(pod("p", null, null), term(req("zone", "In", "a", "b"))), true),
        Arguments.of("In mismatch", requireNodes(pod("p", null, null), term(req("zone", "In", "b"))), false),
        Arguments.of("NotIn", requireNodes(pod("p", null, null), term(req("zone", "NotIn", "b"))), true),
        Arguments.of("NotIn mismatch", requireNodes(pod("p", null, null), term(req("zone", "NotIn", "a"))), false),
        Arguments.of("Exists", requireNodes(pod("p", null, null), term(req("disk", "Exists"))), true),
        Arguments.of("DoesNotExist", requireNodes(pod("p", null, null), term(req("gpu", "DoesNotExist"))), true),
        Arguments.of("DoesNotExist mismatch", requireNodes(pod("p", null, null), term(req("disk", "DoesNotExist"))), false),
        Arguments.of("Gt", requireNodes(pod("p", null, null), term(req("cores", "Gt", "4"))), true),
        Arguments.of("Gt mismatch", requireNodes(pod("p", null, null), term(req("cores", "Gt", "8"))), false),
        Arguments.of("Lt", requireNodes(pod("p", null, null), term(req("cores", "Lt", "9"))), true),
        Arguments.of("Gt non-integer never matches", requireNodes(pod("p", null, null), term(req("cores", "Gt", "x"))), false),
        Arguments.of("terms are ORed", requireNodes(pod("p", null, null),
            term(req("zone", "In", "b")), term(req("disk", "In", "ssd"))), true),
        Arguments.of("requirements are ANDed", requireNodes(pod("p", null, null),
            term(req("zone", "In", "a"), req("disk", "In", "hdd"))), false),
        Arguments.of("empty term matches nothing", requireNodes(pod("p", null, null), NodeSelectorTerm.getDefaultInstance()), false),
        Arguments.of("matchFields metadata.name", requireNodes(pod("p", null, null),
            NodeSelectorTerm.newBuilder().addMatchFields(req("metadata.name", "In", "n1")).build()), true),
        Arguments.of("matchFields other name", requireNodes(pod("p", null, null),
            NodeSelectorTerm.newBuilder().addMatchFields(req("metadata.name", "In", "n2")).build()), false));
  }

  private static Pod.Builder sel(Pod.Builder p, String k, String v) {
    p.getSpecBuilder().putNodeSelector(k, v);
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filter(String name, Pod.Builder pod, boolean fits) {
    CycleState state = new CycleState();
    PodInfo p = PodInfo.of(pod.build());
    Snapshot snapshot = cluster.snapshot();
    PreFilterResult pre = plugin.preFilter(state, p, snapshot);
    NodeInfo n1 = cluster.get("n1");
    boolean result = pre.status().isSkip()
        || (pre.status().isSuccess() && (pre.nodeNames() == null || pre.nodeNames().contains("n1"))
            && plugin.filter(state, p, n1).isSuccess());
    assertThat(result).isEqualTo(fits);
    if (!fits && pre.nodeNames() == null) {
      assertThat(plugin.filter(state, p, n1)).isEqualTo(
          Status.unresolvable(NodeAffinity.REASON));
    }
  }

  @Test
  void matchFieldsNarrowsTheNodes() {
    Pod.Builder p = requireNodes(pod("p", null, null),
        NodeSelectorTerm.newBuilder().addMatchFields(req("metadata.name", "In", "n1", "n3")).build());
    PreFilterResult pre = plugin.preFilter(new CycleState(), PodInfo.of(p.build()), cluster.snapshot());
    assertThat(pre.nodeNames()).isEqualTo(Set.of("n1", "n3"));
  }

  @Test
  void preferredTermsScoreByWeight() {
    FakeCluster c = new FakeCluster()
        .node(labels(node("a", "4", "8Gi"), "zone", "a"))
        .node(labels(node("b", "4", "8Gi"), "zone", "b", "disk", "ssd"))
        .node(node("c", "4", "8Gi"));
    Pod.Builder p = pod("p", null, null);
    p.getSpecBuilder().getAffinityBuilder().getNodeAffinityBuilder()
        .addPreferredDuringSchedulingIgnoredDuringExecution(PreferredSchedulingTerm.newBuilder()
            .setWeight(10).setPreference(term(req("zone", "In", "a"))))
        .addPreferredDuringSchedulingIgnoredDuringExecution(PreferredSchedulingTerm.newBuilder()
            .setWeight(5).setPreference(term(req("disk", "In", "ssd"))));
    CycleState state = new CycleState();
    PodInfo pi = PodInfo.of(p.build());
    List<NodeInfo> nodes = List.of(c.get("a"), c.get("b"), c.get("c"));
    assertThat(plugin.preScore(state, pi, nodes, c.snapshot()).isSuccess()).isTrue();
    long[] scores = nodes.stream().mapToLong(n -> plugin.score(state, pi, n)).toArray();
    plugin.normalize(state, pi, scores);
    assertThat(scores).containsExactly(100, 50, 0);
  }
}
