package dev.skiff.apiserver.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.apiserver.testing.InProcessCluster;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's grpcurl examples, performed the way grpcurl performs them: descriptors from the
 * server's reflection service only, JSON in and out. If one of these fails, the README is wrong.
 */
class GrpcurlExamplesTest {
  private static InProcessCluster cluster;
  private static ReflectionClient grpcurl;

  @BeforeAll
  static void start() {
    cluster = InProcessCluster.start();
    grpcurl = new ReflectionClient(cluster.channel());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void listShowsEveryKindHealthAndReflection() {
    assertThat(grpcurl.listServices()).contains(
        "skiff.api.v1.Pods", "skiff.api.v1.Deployments", "skiff.api.v1.Namespaces",
        "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection");
    assertThat(grpcurl.describe("skiff.api.v1.Pods").getMethods())
        .extracting(m -> m.getName())
        .contains("Create", "Get", "List", "Update", "UpdateStatus", "Patch", "Delete", "Watch", "Bind");
  }

  @Test
  void healthCheckServes() throws Exception {
    assertThat(grpcurl.call("grpc.health.v1.Health/Check", "{}")).contains("SERVING");
  }

  @Test
  void createNamespaceAndPodThenListAndWatch() throws Exception {
    String ns = grpcurl.call("skiff.api.v1.Namespaces/Create", "{\"metadata\":{\"name\":\"demo\"}}");
    assertThat(ns).contains("\"name\": \"demo\"").contains("\"uid\"").contains("\"resourceVersion\"");

    String pod = grpcurl.call("skiff.api.v1.Pods/Create", """
        {"metadata":{"name":"hello","namespace":"demo"},
         "spec":{"containers":[{"name":"web","image":"localhost:5000/busybox:1.35",
                                "command":["httpd","-f","-p","80"]}]}}""");
    assertThat(pod).contains("\"phase\": \"Pending\"").contains("\"schedulerName\": \"default-scheduler\"");

    String list = grpcurl.call("skiff.api.v1.Pods/List", "{\"namespace\":\"demo\"}");
    assertThat(list).contains("\"name\": \"hello\"");

    List<String> events = grpcurl.stream("skiff.api.v1.Pods/Watch", "{\"namespace\":\"demo\"}", 1);
    assertThat(events).singleElement().asString().contains("\"type\": \"ADDED\"").contains("hello");
  }

  @Test
  void badPodNamesTheFieldPath() throws Exception {
    grpcurl.call("skiff.api.v1.Namespaces/Create", "{\"metadata\":{\"name\":\"checks\"}}");
    assertThatThrownBy(() -> grpcurl.call("skiff.api.v1.Pods/Create", """
        {"metadata":{"name":"broken","namespace":"checks"},
         "spec":{"containers":[{"name":"web"}]}}"""))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("spec.containers[0].image");
        });
  }
}
