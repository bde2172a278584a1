package dev.skiff.apiserver.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.api.v1.GetRequest;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.NamespacesGrpc;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodWatchEvent;
import dev.skiff.api.v1.PodsGrpc;
import dev.skiff.api.v1.WatchRequest;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.registry.RegistryContractTestSupport;
import dev.skiff.apiserver.testing.InProcessCluster;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A second apiserver on the same store; reflection and health of the served API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoApiServersTest {
  private InProcessCluster cluster;
  private ApiServer second;
  private Server secondServer;
  private ManagedChannel secondChannel;

  @BeforeAll
  void start() throws Exception {
    cluster = InProcessCluster.start();
    second = new ApiServer(ApiServerConfig.defaults(), cluster.storeChannel());
    second.start();
    String name = cluster.serverName() + "-second";
    InProcessServerBuilder b = InProcessServerBuilder.forName(name);
    second.services().forEach(b::addService);
    secondServer = b.build().start();
    secondChannel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterAll
  void stop() {
    secondChannel.shutdownNow();
    secondServer.shutdownNow();
    second.close();
    cluster.close();
  }

  @Test
  void writesThroughOneAreSeenByTheOthersWatchesAndReads() {
    NamespacesGrpc.newBlockingStub(cluster.channel())
        .create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("shared")).build());
    List<PodWatchEvent> seenBySecond = new CopyOnWriteArrayList<>();
    PodsGrpc.newStub(secondChannel).watch(WatchRequest.newBuilder().setNamespace("shared").build(), new StreamObserver<>() {
      @Override
      public void onNext(PodWatchEvent value) {
        seenBySecond.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    PodsGrpc.PodsBlockingStub first = PodsGrpc.newBlockingStub(cluster.channel());
    PodsGrpc.PodsBlockingStub other = PodsGrpc.newBlockingStub(secondChannel);
    Pod created = first.create(RegistryContractTestSupport.pod("shared", "web"));
    await().atMost(Duration.ofSeconds(10)).until(() -> seenBySecond.size() == 1);
    assertThat(seenBySecond.getFirst().getObject()).isEqualTo(created);
    // the second serves the same object and detects the same conflicts
    Pod viaSecond = other.get(GetRequest.newBuilder().setNamespace("shared").setName("web").build());
    assertThat(viaSecond).isEqualTo(created);
    other.update(viaSecond.toBuilder().setMetadata(viaSecond.getMetadata().toBuilder().putLabels("by", "second")).build());
    assertThatThrownBy(() -> first.update(created.toBuilder()
        .setMetadata(created.getMetadata().toBuilder().putLabels("by", "first")).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED));
    await().atMost(Duration.ofSeconds(10)).until(() -> seenBySecond.size() == 2);
  }

  @Test
  void reflectionAndHealthAreServed() throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> req = ServerReflectionGrpc.newStub(cluster.channel())
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    req.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    List<String> services = answer.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList().stream()
        .map(s -> s.getName()).toList();
    req.onCompleted();
    assertThat(services).contains("skiff.api.v1.Pods", "skiff.api.v1.Deployments", "skiff.api.v1.EndpointsService",
        "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");
    HealthCheckResponse health = HealthGrpc.newBlockingStub(cluster.channel())
        .check(HealthCheckRequest.newBuilder().setService(ApiServer.HEALTH_SERVICE).build());
    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }
}
