package dev.skiff.scheduler.framework.plugins;

import static dev.skiff.scheduler.TestObjects.node;
import static dev.skiff.scheduler.TestObjects.onNode;
import static dev.skiff.scheduler.TestObjects.pod;
import static dev.skiff.scheduler.TestObjects.taint;
import static dev.skiff.scheduler.TestObjects.tolerate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeSpec;
import dev.skiff.api.v1.Pod;
import dev.skiff.scheduler.FakeCluster;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.NodeColumns;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Snapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link NodeColumns} shortcuts of the hot plugins answer as their NodeInfo methods do: a
 * filter shortcut passes exactly when the filter succeeds on a node it can judge from the row
 * (and never passes a node the filter rejects); a column score equals the NodeInfo score.
 */
class NodeColumnsShortcutTest {
  private static final List<FilterPlugin> FILTERS =
      List.of(new NodeUnschedulable(), new TaintToleration(), new NodeResourcesFit());
  private static final List<ScorePlugin> SCORERS =
      List.of(new TaintToleration(), new NodeResourcesFit(), new BalancedAllocation());

  private static Snapshot cluster() {
    Node.Builder twoPods = node("two-pods", "4", "32Gi");
    twoPods.getStatusBuilder().putAllocatable("pods", "2");
    return new FakeCluster()
        .node(node("empty", "4", "32Gi"))
        .node(node("busy", "2", "4Gi"))
        .pod(onNode(pod("a", "1500m", "1Gi"), "busy"))
        .pod(onNode(pod("b", "100m", "2Gi"), "busy"))
        .node(node("cordoned", "4", "32Gi").setSpec(NodeSpec.newBuilder().setUnschedulable(true)))
        .node(taint(node("tainted", "4", "32Gi"), "dedicated", "gpu", "NoSchedule"))
        .node(taint(node("soft", "4", "32Gi"), "spot", "yes", "PreferNoSchedule"))
        .node(twoPods)
        .pod(onNode(pod("c", "100m", "1Gi"), "two-pods"))
        .pod(onNode(pod("d", "100m", "1Gi"), "two-pods"))
        .snapshot();
  }

  private static List<Pod.Builder> pods() {
    Pod.Builder gpu = pod("gpu", "100m", "1Gi");
    gpu.getSpecBuilder().getContainersBuilder(0).getResourcesBuilder()
        .putRequests("example.com/gpu", "1");
    return List.of(pod("small", "100m", "500Mi"), pod("big", "1", "3Gi"), pod("none", null, null),
        tolerate(pod("tolerant", "100m", "1Gi"), "dedicated", "Equal", "gpu", "NoSchedule"), gpu);
  }

  @Test
  void filterShortcutsAgreeWithFilters() {
    Snapshot snapshot = cluster();
    NodeColumns columns = snapshot.columns();
    int shortcuts = 0;
    for (Pod.Builder p : pods()) {
      PodInfo pod = PodInfo.of(p.build());
      for (FilterPlugin plugin : FILTERS) {
        for (int i = 0; i < snapshot.size(); i++) {
          NodeInfo node = snapshot.get(i);
          boolean fits = plugin.filter(new CycleState(), pod, node).isSuccess();
          boolean passes = plugin.passes(new CycleState(), pod, columns, i);
          String what = plugin.name() + " " + pod + " on " + node.name();
          if (passes) {
            shortcuts++;
            assertThat(fits).as(what).isTrue();
          } else if (!node.taints().isEmpty() || !pod.requests().scalars().isEmpty()) {
            continue; // left to filter(): the row cannot tell
          } else {
            assertThat(fits).as(what).isFalse();
          }
        }
      }
    }
    assertThat(shortcuts).isGreaterThan(0);
  }

  @Test
  void columnScoresEqualNodeInfoScores() {
    Snapshot snapshot = cluster();
    for (Pod.Builder p : pods()) {
      PodInfo pod = PodInfo.of(p.build());
      for (ScorePlugin plugin : SCORERS) {
        for (int i = 0; i < snapshot.size(); i++) {
          NodeInfo node = snapshot.get(i);
          assertThat(plugin.score(new CycleState(), pod, snapshot.columns(), i, node))
              .as(plugin.name() + " " + pod + " on " + node.name())
              .isEqualTo(plugin.score(new CycleState(), pod, node));
        }
      }
    }
  }

  @Test
  void snapshotKeepsRowsInStepWithItsNodes() {
    Snapshot snapshot = cluster();
    int busy = indexOf(snapshot, "busy");
    NodeInfo moved = snapshot.get(busy).withPod(PodInfo.of(onNode(pod("e", "200m", "1Gi"), "busy").build()));
    snapshot.replace(moved);
    assertThat(snapshot.columns().podCount(busy)).isEqualTo(3);
    assertThat(snapshot.columns().requestedMilliCpu(busy)).isEqualTo(1800);
    Snapshot whatIf = snapshot.withNode(moved.withoutPod("default/e"));
    assertThat(whatIf.columns().podCount(busy)).isEqualTo(2);
    assertThat(snapshot.columns().podCount(busy)).isEqualTo(3);
  }

  private static int indexOf(Snapshot snapshot, String name) {
    for (int i = 0; i < snapshot.size(); i++) {
      if (snapshot.get(i).name().equals(name)) {
        return i;
      }
    }
    throw new AssertionError(name);
  }
}
