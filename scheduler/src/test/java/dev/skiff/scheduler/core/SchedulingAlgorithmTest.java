package dev.skiff.scheduler.core;

import static dev.skiff.scheduler.TestObjects.node;
import static dev.skiff.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.scheduler.FakeCluster;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.Nominator;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.framework.plugins.DefaultPlugins;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The algorithm over a fake snapshot: how many nodes it looks at, and rotation. */
class SchedulingAlgorithmTest {
  private final Framework fw = new Framework(DefaultPlugins.profile("default-scheduler", null,
      new dev.skiff.scheduler.framework.BindPlugin() {
        @Override
        public String name() {
          return "NoBind";
        }

        @Override
        public Status bind(CycleState state, PodInfo pod, String nodeName) {
          return Status.error("not in this test");
        }
      }));

  @Test
  void feasibleNodesToFindFollowsKubernetesAdaptivePercentage() {
    try (SchedulingAlgorithm a = new SchedulingAlgorithm(1, 0, new Random(1), new Nominator())) {
      assertThat(a.numFeasibleNodesToFind(50)).isEqualTo(50);
      assertThat(a.numFeasibleNodesToFind(1000)).isEqualTo(420);
      assertThat(a.numFeasibleNodesToFind(5000)).isEqualTo(500);
      assertThat(a.numFeasibleNodesToFind(10_000)).isEqualTo(500);
    }
    try (SchedulingAlgorithm a = new SchedulingAlgorithm(1, 100, new Random(1), new Nominator())) {
      assertThat(a.numFeasibleNodesToFind(5000)).isEqualTo(5000);
    }
  }

  @Test
  void stopsAfterEnoughFeasibleNodesAndRotatesTheStart() {
    FakeCluster c = new FakeCluster();
    for (int i = 0; i < 1000; i++) {
      c.node(node(String.format("n%04d", i), "4", "8Gi"));
    }
    Snapshot snapshot = c.snapshot();
    PodInfo p = PodInfo.of(pod("p", "100m", "64Mi").build());
    for (int parallelism : new int[] {1, 2}) {
      try (SchedulingAlgorithm a = new SchedulingAlgorithm(parallelism, 0, new Random(1), new Nominator())) {
        ScheduleResult first = a.schedule(fw, new CycleState(), p, snapshot);
        assertThat(first.feasible()).isEqualTo(420);
        assertThat(first.evaluated()).isBetween(420, 420 + 64);
        ScheduleResult second = a.schedule(fw, new CycleState(), p, snapshot);
        assertThat(second.feasible()).isEqualTo(420);
      }
    }
  }

  @Test
  void everyNodeIsCheckedWhenNoneFits() {
    FakeCluster c = new FakeCluster();
    for (int i = 0; i < 300; i++) {
      c.node(node("n" + i, "1", "1Gi"));
    }
    try (SchedulingAlgorithm a = new SchedulingAlgorithm(2, 0, new Random(1), new Nominator())) {
      ScheduleResult r = a.schedule(fw, new CycleState(), PodInfo.of(pod("p", "2", "64Mi").build()),
          c.snapshot());
      assertThat(r.scheduled()).isFalse();
      assertThat(r.evaluated()).isEqualTo(300);
      assertThat(r.diagnosis().message()).isEqualTo("0/300 nodes are available: 300 Insufficient cpu.");
      assertThat(r.diagnosis().rejectingPlugins()).containsExactly("NodeResourcesFit");
    }
  }
}
