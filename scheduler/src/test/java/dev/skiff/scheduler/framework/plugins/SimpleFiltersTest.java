package dev.skiff.scheduler.framework.plugins;

import static dev.skiff.scheduler.TestObjects.hostPort;
import static dev.skiff.scheduler.TestObjects.node;
import static dev.skiff.scheduler.TestObjects.onNode;
import static dev.skiff.scheduler.TestObjects.pod;
import static dev.skiff.scheduler.TestObjects.tolerate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.ContainerPort;
import dev.skiff.api.v1.Pod;
import dev.skiff.scheduler.FakeCluster;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Status;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** NodeName, NodeUnschedulable, NodePorts and ImageLocality. */
class SimpleFiltersTest {

  @Test
  void nodeName() {
    NodeName plugin = new NodeName();
    NodeInfo n1 = new FakeCluster().node(node("n1", "1", "1Gi")).get("n1");
    assertThat(plugin.filter(new CycleState(), PodInfo.of(onNode(pod("p", null, null), "n1").build()), n1).isSuccess()).isTrue();
    assertThat(plugin.filter(new CycleState(), PodInfo.of(onNode(pod("p", null, null), "n2").build()), n1).reasons())
        .containsExactly(NodeName.REASON);
    assertThat(plugin.filter(new CycleState(), PodInfo.of(pod("p", null, null).build()), n1).isSuccess()).isTrue();
  }

  @Test
  void nodeUnschedulable() {
    NodeUnschedulable plugin = new NodeUnschedulable();
    var cordoned = node("n1", "1", "1Gi");
    cordoned.getSpecBuilder().setUnschedulable(true);
    NodeInfo n = new FakeCluster().node(cordoned).get("n1");
    assertThat(plugin.filter(new CycleState(), PodInfo.of(pod("p", null, null).build()), n))
        .isEqualTo(Status.unresolvable(NodeUnschedulable.REASON));
    Pod tolerant = tolerate(pod("p", null, null), NodeUnschedulable.TAINT_KEY, "Exists", "", "NoSchedule").build();
    assertThat(plugin.filter(new CycleState(), PodInfo.of(tolerant), n).isSuccess()).isTrue();
  }

  static Stream<Arguments> ports() {
    return Stream.of(
        Arguments.of("same port any ip", port(8080, "", "TCP"), false),
        Arguments.of("other port", port(8081, "", "TCP"), true),
        Arguments.of("other protocol", port(8080, "", "UDP"), true),
        Arguments.of("specific ip vs any", port(8080, "10.0.0.1", "TCP"), false));
  }

  private static Pod.Builder port(int p, String ip, String proto) {
    Pod.Builder b = pod("p", null, null);
    b.getSpecBuilder().getContainersBuilder(0).addPorts(
        ContainerPort.newBuilder().setContainerPort(p).setHostPort(p).setHostIp(ip).setProtocol(proto));
    return b;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ports")
  void nodePorts(String name, Pod.Builder pod, boolean fits) {
    NodePorts plugin = new NodePorts();
    FakeCluster c = new FakeCluster().node(node("n1", "1", "1Gi"))
        .pod(onNode(hostPort(pod("web", null, null), 8080), "n1"));
    PodInfo p = PodInfo.of(pod.build());
    CycleState state = new CycleState();
    assertThat(plugin.preFilter(state, p, c.snapshot()).status().isSuccess()).isTrue();
    assertThat(plugin.filter(state, p, c.get("n1")).isSuccess()).isEqualTo(fits);
  }

  @Test
  void nodePortsSkipsPodsWithoutHostPorts() {
    assertThat(new NodePorts().preFilter(new CycleState(), PodInfo.of(pod("p", null, null).build()),
        new FakeCluster().snapshot()).status().isSkip()).isTrue();
  }

  @Test
  void imageLocalityPrefersNodesWithBigImages() {
    var with = node("with", "1", "1Gi");
    with.getStatusBuilder().addImages(dev.skiff.api.v1.ContainerImage.newBuilder()
        .addNames("docker.io/library/big:1").addNames("big:1").setSizeBytes(500L << 20));
    FakeCluster c = new FakeCluster().node(with).node(node("without", "1", "1Gi"));
    Pod.Builder p = pod("p", null, null);
    p.getSpecBuilder().getContainersBuilder(0).setImage("big:1");
    ImageLocality plugin = new ImageLocality();
    CycleState state = new CycleState();
    PodInfo pi = PodInfo.of(p.build());
    assertThat(plugin.preScore(state, pi, java.util.List.of(c.get("with"), c.get("without")), c.snapshot())
        .isSuccess()).isTrue();
    assertThat(plugin.score(state, pi, c.get("with"))).isGreaterThan(0);
    assertThat(plugin.score(state, pi, c.get("without"))).isZero();
  }
}
