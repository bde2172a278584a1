package dev.skiff.scheduler.framework.plugins;

import static dev.skiff.scheduler.TestObjects.node;
import static dev.skiff.scheduler.TestObjects.pod;
import static dev.skiff.scheduler.TestObjects.taint;
import static dev.skiff.scheduler.TestObjects.tolerate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Pod;
import dev.skiff.scheduler.FakeCluster;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaintTolerationTest {
  private final TaintToleration plugin = new TaintToleration();

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("untolerated NoSchedule", "NoSchedule", pod("p", null, null),
            "node(s) had untolerated taint {dedicated: gpu}"),
        Arguments.of("untolerated NoExecute", "NoExecute", pod("p", null, null),
            "node(s) had untolerated taint {dedicated: gpu}"),
        Arguments.of("PreferNoSchedule does not filter", "PreferNoSchedule", pod("p", null, null), null),
        Arguments.of("Equal match", "NoSchedule",
            tolerate(pod("p", null, null), "dedicated", "Equal", "gpu", "NoSchedule"), null),
        Arguments.of("empty operator means Equal", "NoSchedule",
            tolerate(pod("p", null, null), "dedicated", "", "gpu", ""), null),
        Arguments.of("Equal other value", "NoSchedule",
            tolerate(pod("p", null, null), "dedicated", "Equal", "cpu", "NoSchedule"),
            "node(s) had untolerated taint {dedicated: gpu}"),
        Arguments.of("Exists any value", "NoExecute",
            tolerate(pod("p", null, null), "dedicated", "Exists", "", ""), null),
        Arguments.of("Exists empty key tolerates all", "NoSchedule",
            tolerate(pod("p", null, null), "", "Exists", "", ""), null),
        Arguments.of("other effect", "NoSchedule",
            tolerate(pod("p", null, null), "dedicated", "Exists", "", "NoExecute"),
            "node(s) had untolerated taint {dedicated: gpu}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filter(String name, String effect, Pod.Builder pod, String reason) {
    NodeInfo n = new FakeCluster().node(taint(node("n", "1", "1Gi"), "dedicated", "gpu", effect)).get("n");
    var s = plugin.filter(new CycleState(), PodInfo.of(pod.build()), n);
    if (reason == null) {
      assertThat(s.isSuccess()).isTrue();
    } else {
      assertThat(s.reasons()).containsExactly(reason);
      assertThat(s.code()).isEqualTo(dev.skiff.scheduler.framework.Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
    }
  }

  @Test
  void preferNoScheduleScoresFewerUntoleratedTaintsHigher() {
    FakeCluster c = new FakeCluster()
        .node(node("clean", "1", "1Gi"))
        .node(taint(node("one", "1", "1Gi"), "a", "x", "PreferNoSchedule"))
        .node(taint(taint(node("two", "1", "1Gi"), "a", "x", "PreferNoSchedule"), "b", "y", "PreferNoSchedule"));
    PodInfo p = PodInfo.of(tolerate(pod("p", null, null), "b", "Exists", "", "PreferNoSchedule").build());
    List<NodeInfo> nodes = List.of(c.get("clean"), c.get("one"), c.get("two"));
    long[] scores = nodes.stream().mapToLong(n -> plugin.score(new CycleState(), p, n)).toArray();
    assertThat(scores).containsExactly(0, 1, 1);
    plugin.normalize(new CycleState(), p, scores);
    assertThat(scores).containsExactly(100, 0, 0);
  }
}
