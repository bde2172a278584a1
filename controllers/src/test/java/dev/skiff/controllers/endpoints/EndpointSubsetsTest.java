package dev.skiff.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.ContainerPort;
import dev.skiff.api.v1.EndpointSubset;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.PodStatus;
import dev.skiff.api.v1.Service;
import dev.skiff.api.v1.ServicePort;
import dev.skiff.api.v1.ServiceSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointSubsetsTest {
  static Pod pod(String name, String ip, boolean ready, int httpPort) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace("ns").setUid("uid-" + name))
        .setSpec(PodSpec.newBuilder().setNodeName("n1").addContainers(Container.newBuilder().setName("c")
            .addPorts(ContainerPort.newBuilder().setName("http").setContainerPort(httpPort).setProtocol("TCP"))))
        .setStatus(PodStatus.newBuilder().setPhase("Running").setPodIp(ip)
            .addConditions(PodCondition.newBuilder().setType("Ready").setStatus(ready ? "True" : "False")))
        .build();
  }

  static Service service(ServicePort... ports) {
    return Service.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("web").setNamespace("ns"))
        .setSpec(ServiceSpec.newBuilder().putSelector("app", "web").addAllPorts(List.of(ports))).build();
  }

  @Test
  void readyAndNotReadyAddressesWithNamedPortsGroupedByResolvedPorts() {
    Service svc = service(ServicePort.newBuilder().setName("web").setPort(80).setTargetPort("http").build());
    List<EndpointSubset> subsets = EndpointSubsets.compute(svc, List.of(
        pod("b", "10.0.0.2", true, 8080), pod("a", "10.0.0.1", true, 8080),
        pod("c", "10.0.0.3", false, 8080), pod("d", "10.0.0.4", true, 9090),
        pod("noip", "", true, 8080)));
    assertThat(subsets).hasSize(2);
    EndpointSubset s8080 = subsets.stream().filter(s -> s.getPorts(0).getPort() == 8080).findFirst().orElseThrow();
    assertThat(s8080.getAddressesList()).extracting(a -> a.getIp()).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(s8080.getNotReadyAddressesList()).extracting(a -> a.getIp()).containsExactly("10.0.0.3");
    assertThat(s8080.getAddresses(0).getNodeName()).isEqualTo("n1");
    assertThat(s8080.getAddresses(0).getTargetRef().getName()).isEqualTo("a");
    assertThat(s8080.getAddresses(0).getTargetRef().getKind()).isEqualTo("Pod");
    assertThat(s8080.getPorts(0).getName()).isEqualTo("web");
    assertThat(s8080.getPorts(0).getProtocol()).isEqualTo("TCP");
    EndpointSubset s9090 = subsets.stream().filter(s -> s.getPorts(0).getPort() == 9090).findFirst().orElseThrow();
    assertThat(s9090.getAddressesList()).extracting(a -> a.getIp()).containsExactly("10.0.0.4");
  }

  @Test
  void numericAndDefaultTargetPortsAndUnresolvableNames() {
    Service svc = service(ServicePort.newBuilder().setName("a").setPort(80).setTargetPort("8081").build(),
        ServicePort.newBuilder().setName("b").setPort(90).build(),
        ServicePort.newBuilder().setName("c").setPort(70).setTargetPort("missing").build());
    List<EndpointSubset> subsets = EndpointSubsets.compute(svc, List.of(pod("a", "10.0.0.1", true, 8080)));
    assertThat(subsets).hasSize(1);
    assertThat(subsets.get(0).getPortsList()).extracting(p -> p.getName() + ":" + p.getPort()).containsExactly("a:8081", "b:90");
  }

  @Test
  void terminatingAndFinishedPodsAreLeftOutUnlessPublishingNotReady() {
    Pod terminating = pod("t", "10.0.0.9", true, 8080).toBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("t").setDeletionTimestamp(com.google.protobuf.Timestamp.newBuilder().setSeconds(1))).build();
    Pod done = pod("d", "10.0.0.8", false, 8080).toBuilder()
        .setStatus(PodStatus.newBuilder().setPhase("Succeeded").setPodIp("10.0.0.8")).build();
    Service svc = service(ServicePort.newBuilder().setName("web").setPort(80).setTargetPort("http").build());
    assertThat(EndpointSubsets.compute(svc, List.of(terminating, done))).isEmpty();
    Service publish = svc.toBuilder().setSpec(svc.getSpec().toBuilder().setPublishNotReadyAddresses(true)).build();
    assertThat(EndpointSubsets.compute(publish, List.of(terminating, pod("c", "10.0.0.3", false, 8080))).get(0).getAddressesCount())
        .isEqualTo(2);
  }
}
