package dev.skiff.controllers.endpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Endpoints;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.Service;
import dev.skiff.api.v1.ServicePort;
import dev.skiff.api.v1.ServiceSpec;
import dev.skiff.client.api.Kinds;
import dev.skiff.controllers.testing.Harness;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EndpointsControllerTest {
  Harness h;
  EndpointsController ec;

  @BeforeEach
  void setUp() {
    h = Harness.start();
    h.objects().namespace("ns");
    ec = new EndpointsController(h.ctx());
    h.startInformers();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private Optional<Endpoints> endpoints() {
    return h.client().resource(Kinds.ENDPOINTS).find("ns", "web");
  }

  private int ready() {
    return endpoints().map(e -> e.getSubsetsList().stream().mapToInt(s -> s.getAddressesCount()).sum()).orElse(-1);
  }

  private int notReady() {
    return endpoints().map(e -> e.getSubsetsList().stream().mapToInt(s -> s.getNotReadyAddressesCount()).sum()).orElse(-1);
  }

  @Test
  void followsPodReadinessAndGoesWithTheService() {
    h.objects().node("n1", true);
    Pod a = h.objects().pod("ns", "a", Map.of("app", "web"));
    Pod b = h.objects().pod("ns", "b", Map.of("app", "web"));
    h.objects().pod("ns", "other", Map.of("app", "db"));
    h.objects().bind(a, "n1");
    h.objects().bind(b, "n1");
    h.objects().markReady(a);
    h.client().resource(Kinds.SERVICE).create(Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("ns").setName("web"))
        .setSpec(ServiceSpec.newBuilder().putSelector("app", "web")
            .addPorts(ServicePort.newBuilder().setName("http").setPort(80).setTargetPort("http").setProtocol("TCP")))
        .build());
    h.settle(() -> ready() == 1, ec.loop());
    Endpoints e = endpoints().orElseThrow();
    assertThat(e.getSubsets(0).getPorts(0).getPort()).isEqualTo(8080);
    assertThat(e.getSubsets(0).getAddresses(0).getNodeName()).isEqualTo("n1");
    assertThat(e.getSubsets(0).getAddresses(0).getTargetRef().getName()).isEqualTo("a");

    h.objects().markReady(b);
    h.settle(() -> ready() == 2, ec.loop());
    h.client().resource(Kinds.POD).delete("ns", "a");
    h.settle(() -> ready() + notReady() <= 1, ec.loop());

    h.client().resource(Kinds.SERVICE).delete("ns", "web");
    h.settle(() -> endpoints().isEmpty(), ec.loop());
  }
}
