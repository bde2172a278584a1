package dev.skiff.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.ContainerState;
import dev.skiff.api.v1.ContainerStateRunning;
import dev.skiff.api.v1.ContainerStateTerminated;
import dev.skiff.api.v1.ContainerStateWaiting;
import dev.skiff.api.v1.ContainerStatus;
import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.DeploymentSpec;
import dev.skiff.api.v1.DeploymentStatus;
import dev.skiff.api.v1.LabelSelector;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeCondition;
import dev.skiff.api.v1.NodeSpec;
import dev.skiff.api.v1.NodeStatus;
import dev.skiff.api.v1.NodeSystemInfo;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.PodStatus;
import dev.skiff.api.v1.PodTemplateSpec;
import dev.skiff.api.v1.Service;
import dev.skiff.api.v1.ServicePort;
import dev.skiff.api.v1.ServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablePrinterTest {
  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

  private static ObjectMeta meta(String name, Duration age) {
    Instant created = NOW.minus(age);
    return ObjectMeta.newBuilder().setName(name).setNamespace("default")
        .setCreationTimestamp(Timestamp.newBuilder().setSeconds(created.getEpochSecond())).build();
  }

  private static ContainerStatus running(String name, boolean ready, int restarts) {
    return ContainerStatus.newBuilder().setName(name).setReady(ready).setRestartCount(restarts)
        .setState(ContainerState.newBuilder().setRunning(ContainerStateRunning.getDefaultInstance()))
        .build();
  }

  private static Pod pod(String name, Duration age, String phase, ContainerStatus... statuses) {
    PodSpec.Builder spec = PodSpec.newBuilder().setNodeName("n1");
    for (ContainerStatus s : statuses) {
      spec.addContainers(Container.newBuilder().setName(s.getName()));
    }
    return Pod.newBuilder().setMetadata(meta(name, age)).setSpec(spec)
        .setStatus(PodStatus.newBuilder().setPhase(phase).setPodIp("10.88.0.5")
            .addAllContainerStatuses(List.of(statuses)))
        .build();
  }

  @Test
  void podsLikeKubectl() {
    ContainerStatus crashing = ContainerStatus.newBuilder().setName("app").setRestartCount(3)
        .setState(ContainerState.newBuilder().setWaiting(
            ContainerStateWaiting.newBuilder().setReason("CrashLoopBackOff")))
        .setLastState(ContainerState.newBuilder().setTerminated(ContainerStateTerminated.newBuilder()
            .setExitCode(1).setFinishedAt(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - 42))))
        .build();
    List<Pod> pods = List.of(
        pod("web-7c5ddbdf54-2kx8l", Duration.ofMinutes(5), "Running", running("nginx", true, 0)),
        pod("worker-1", Duration.ofHours(26), "Running", crashing, running("sidecar", true, 0)),
        Pod.newBuilder().setMetadata(meta("pending", Duration.ofSeconds(7)))
            .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("c")))
            .build());

    String out = new TablePrinter("Pod", false, false).render(pods, NOW, true);

    assertThat(out).isEqualTo("""
        NAME                   READY   STATUS             RESTARTS      AGE
        web-7c5ddbdf54-2kx8l   1/1     Running            0             5m
        worker-1               1/2     CrashLoopBackOff   3 (42s ago)   26h
        pending                0/1     Pending            0             7s
        """);
  }

  @Test
  void podsWideWithNamespaces() {
    Pod p = pod("web-1", Duration.ofMinutes(75), "Running", running("nginx", true, 0));

    String out = new TablePrinter("Pod", true, true).render(List.of(p), NOW, true);

    assertThat(out).isEqualTo("""
        NAMESPACE   NAME    READY   STATUS    RESTARTS   AGE   IP          NODE   NOMINATED NODE   READINESS GATES
        default     web-1   1/1     Running   0          75m   10.88.0.5   n1     <none>           <none>
        """);
  }

  @Test
  void deploymentsLikeKubectl() {
    Deployment d = Deployment.newBuilder().setMetadata(meta("nginx-deployment", Duration.ofSeconds(18)))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(3)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "nginx"))
            .setTemplate(PodTemplateSpec.newBuilder().setSpec(PodSpec.newBuilder()
                .addContainers(Container.newBuilder().setName("nginx").setImage("nginx:1.14.2")))))
        .setStatus(DeploymentStatus.newBuilder().setReadyReplicas(2).setUpdatedReplicas(3).setAvailableReplicas(2))
        .build();

    assertThat(new TablePrinter("Deployment", true, false).render(List.of(d), NOW, true)).isEqualTo("""
        NAME               READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES         SELECTOR
        nginx-deployment   2/3     3            2           18s   nginx        nginx:1.14.2   app=nginx
        """);
  }

  @Test
  void nodesAndServices() {
    Node n = Node.newBuilder().setMetadata(meta("worker-a", Duration.ofDays(3).plusHours(4)).toBuilder()
            .putLabels("node-role.kubernetes.io/control-plane", ""))
        .setSpec(NodeSpec.newBuilder().setUnschedulable(true))
        .setStatus(NodeStatus.newBuilder()
            .addConditions(NodeCondition.newBuilder().setType("Ready").setStatus("True"))
            .setNodeInfo(NodeSystemInfo.newBuilder().setKubeletVersion("v0.1.0")))
        .build();
    Service s = Service.newBuilder().setMetadata(meta("my-service", Duration.ofMinutes(3)))
        .setSpec(ServiceSpec.newBuilder().setClusterIp("10.96.0.12").setType("NodePort")
            .addPorts(ServicePort.newBuilder().setPort(80).setNodePort(30080).setProtocol("TCP"))
            .addPorts(ServicePort.newBuilder().setPort(53).setProtocol("UDP")))
        .build();

    assertThat(new TablePrinter("Node", false, false).render(List.of(n), NOW, true)).isEqualTo("""
        NAME       STATUS                     ROLES           AGE    VERSION
        worker-a   Ready,SchedulingDisabled   control-plane   3d4h   v0.1.0
        """);
    assertThat(new TablePrinter("Service", false, false).render(List.of(s), NOW, true)).isEqualTo("""
        NAME         TYPE       CLUSTER-IP   EXTERNAL-IP   PORT(S)               AGE
        my-service   NodePort   10.96.0.12   <none>        80:30080/TCP,53/UDP   3m
        """);
  }

  @Test
  void otherKindsGetNameAndAge() {
    var lease = dev.skiff.api.v1.Lease.newBuilder().setMetadata(meta("holder", Duration.ofSeconds(90))).build();

    assertThat(new TablePrinter("Lease", false, false).render(List.of(lease), NOW, false))
        .isEqualTo("holder   90s\n");
  }

  @Test
  void humanDurationsMatchKubectl() {
    assertThat(HumanDuration.format(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(HumanDuration.format(Duration.ofSeconds(150))).isEqualTo("2m30s");
    assertThat(HumanDuration.format(Duration.ofMinutes(10))).isEqualTo("10m");
    assertThat(HumanDuration.format(Duration.ofMinutes(179))).isEqualTo("179m");
    assertThat(HumanDuration.format(Duration.ofMinutes(185))).isEqualTo("3h5m");
    assertThat(HumanDuration.format(Duration.ofHours(47))).isEqualTo("47h");
    assertThat(HumanDuration.format(Duration.ofHours(50))).isEqualTo("2d2h");
    assertThat(HumanDuration.format(Duration.ofDays(30))).isEqualTo("30d");
    assertThat(HumanDuration.format(Duration.ofDays(800))).isEqualTo("2y70d");
    assertThat(HumanDuration.format(Duration.ofSeconds(-1))).isEqualTo("0s");
    assertThat(HumanDuration.format(Duration.ofSeconds(-5))).isEqualTo("<invalid>");
  }

  @Test
  void tableKeepsMinimumWidthAndDoesNotPadLastColumn() {
    Table t = Table.of("a", "b").addRow("x", "yy");

    assertThat(t.render(true)).isEqualTo("A     B\nx     yy\n");
  }

  @Test
  void namesAndFormats() {
    assertThat(ObjectNames.qualified("Deployment", "apps/v1", "web")).isEqualTo("deployment.apps/web");
    assertThat(ObjectNames.qualified("Pod", "v1", "p")).isEqualTo("pod/p");
    Service s = Service.newBuilder().setApiVersion("v1").setKind("Service")
        .setMetadata(ObjectMeta.newBuilder().setName("web"))
        .setSpec(ServiceSpec.newBuilder().addPorts(ServicePort.newBuilder().setPort(80).setTargetPort("8080")))
        .build();
    assertThat(ObjectFormats.yaml(s)).isEqualTo("""
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          ports:
          - port: 80
            targetPort: '8080'
        """);
  }
}
