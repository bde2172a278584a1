package dev.skiff.scheduler.framework.plugins;

import static dev.skiff.scheduler.TestObjects.node;
import static dev.skiff.scheduler.TestObjects.onNode;
import static dev.skiff.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.ResourceRequirements;
import dev.skiff.scheduler.FakeCluster;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Resources;
import dev.skiff.scheduler.framework.Status;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NodeResourcesFitTest {
  private final NodeResourcesFit plugin = new NodeResourcesFit();

  static Stream<Arguments> cases() {
    // node 2 cpu / 4Gi with one pod using 1500m / 1Gi
    return Stream.of(
        Arguments.of("fits", pod("p", "500m", "1Gi"), List.of()),
        Arguments.of("cpu too much", pod("p", "501m", "1Gi"), List.of("Insufficient cpu")),
        Arguments.of("memory too much", pod("p", "100m", "3073Mi"), List.of("Insufficient memory")),
        Arguments.of("both", pod("p", "1", "4Gi"), List.of("Insufficient cpu", "Insufficient memory")),
        Arguments.of("no requests fits", pod("p", null, null), List.of()),
        Arguments.of("extended resource missing",
            withRequest(pod("p", "100m", null), "example.com/gpu", "1"),
            List.of("Insufficient example.com/gpu")));
  }

  private static Pod.Builder withRequest(Pod.Builder p, String name, String q) {
    p.getSpecBuilder().getContainersBuilder(0).getResourcesBuilder().putRequests(name, q);
    return p;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void filter(String name, Pod.Builder pod, List<String> reasons) {
    NodeInfo n = new FakeCluster().node(node("n1", "2", "4Gi"))
        .pod(onNode(pod("existing", "1500m", "1Gi"), "n1")).get("n1");
    Status s = plugin.filter(new CycleState(), PodInfo.of(pod.build()), n);
    assertThat(s.reasons()).containsExactlyElementsOf(reasons);
    assertThat(s.isSuccess()).isEqualTo(reasons.isEmpty());
  }

  @Test
  void tooManyPods() {
    FakeCluster c = new FakeCluster().node(podsLimit(node("n1", "2", "4Gi"), "1"));
    c.pod(onNode(pod("a", null, null), "n1"));
    Status s = plugin.filter(new CycleState(), PodInfo.of(pod("p", null, null).build()), c.get("n1"));
    assertThat(s.reasons()).containsExactly("Too many pods");
  }

  @Test
  void initContainersTakeTheMaxAndSidecarsAdd() {
    Pod.Builder p = pod("p", "200m", "100Mi");
    p.getSpecBuilder().addInitContainers(container("init", "1", "50Mi", false));
    assertThat(PodInfo.of(p.build()).requests().milliCpu()).isEqualTo(1000);
    assertThat(PodInfo.of(p.build()).requests().memory()).isEqualTo(100L << 20);
    Pod.Builder s = pod("s", "200m", "100Mi");
    s.getSpecBuilder().addInitContainers(container("sidecar", "300m", "10Mi", true));
    s.getSpecBuilder().addInitContainers(container("init", "400m", "10Mi", false));
    // max(200+300, 300+400) = 700
    assertThat(PodInfo.of(s.build()).requests().milliCpu()).isEqualTo(700);
    assertThat(PodInfo.of(s.build()).requests().memory()).isEqualTo(110L << 20);
  }

  @Test
  void overheadIsAdded() {
    Pod.Builder p = pod("p", "200m", "100Mi");
    p.getSpecBuilder().putOverhead("cpu", "50m");
    assertThat(PodInfo.of(p.build()).requests()).isEqualTo(new Resources(250, 100L << 20, java.util.Map.of()));
  }

  @Test
  void leastAllocatedPrefersEmptierNodes() {
    FakeCluster c = new FakeCluster().node(node("busy", "4", "8Gi")).node(node("idle", "4", "8Gi"));
    c.pod(onNode(pod("a", "3", "6Gi"), "busy"));
    PodInfo p = PodInfo.of(pod("p", "1", "2Gi").build());
    long busy = plugin.score(new CycleState(), p, c.get("busy"));
    long idle = plugin.score(new CycleState(), p, c.get("idle"));
    assertThat(busy).isZero();
    assertThat(idle).isEqualTo(75);
  }

  private static dev.skiff.api.v1.Node.Builder podsLimit(dev.skiff.api.v1.Node.Builder n, String pods) {
    n.getStatusBuilder().putAllocatable("pods", pods);
    return n;
  }

  private static Container container(String name, String cpu, String mem, boolean sidecar) {
    Container.Builder c = Container.newBuilder().setName(name).setImage("busybox")
        .setResources(ResourceRequirements.newBuilder().putRequests("cpu", cpu).putRequests("memory", mem));
    if (sidecar) {
      c.setRestartPolicy("Always");
    }
    return c.build();
  }
}
