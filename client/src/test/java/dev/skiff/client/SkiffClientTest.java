package dev.skiff.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The multi-server channel over real TCP servers (the standard health service as the API). */
class SkiffClientTest {
  @Test
  void addressesAreCheckedWithAnActionableMessage() {
    assertThat(ServerAddresses.parse(List.of("10.0.0.1:6443", "[::1]:7443", " api.local:443 ")))
        .extracting(Object::toString).containsExactly("10.0.0.1:6443", "[::1]:7443", "api.local:443");
    assertThatThrownBy(() -> SkiffClient.connect(List.of("10.0.0.1")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not host:port");
    assertThatThrownBy(() -> SkiffClient.connect(List.of("h:99999"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SkiffClient.connect(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
  }

  @Test
  void callsGoToLiveServersAndSurviveLosingOne() throws Exception {
    Server a = healthServer();
    Server b = healthServer();
    List<String> servers = List.of("127.0.0.1:" + deadPort(), "127.0.0.1:" + port(a), "localhost:" + port(b));
    try (SkiffClient client = SkiffClient.connect(servers)) {
      var health = HealthGrpc.newBlockingStub(client.channel()).withWaitForReady();
      for (int i = 0; i < 10; i++) {
        assertThat(health.withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance())
            .getStatus()).isEqualTo(ServingStatus.SERVING);
      }
      a.shutdownNow().awaitTermination();
      int ok = 0;
      for (int i = 0; i < 20; i++) {
        try {
          health.withDeadlineAfter(10, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance());
          ok++;
        } catch (StatusRuntimeException e) {
          // at most the calls already routed to the dying server fail (UNAVAILABLE): reads retry those
          assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
        }
      }
      assertThat(ok).isGreaterThanOrEqualTo(19);
    } finally {
      a.shutdownNow();
      b.shutdownNow();
    }
  }

  @Test
  void anIpv6LiteralServerIsReachedAndANameThatDoesNotResolveIsSkipped() throws Exception {
    Server server = healthServer(); // listens on every address, ::1 included
    List<String> servers = List.of("no-such-api-server.invalid:6443", "[::1]:" + port(server));
    try (SkiffClient client = SkiffClient.connect(servers)) {
      assertThat(HealthGrpc.newBlockingStub(client.channel()).withWaitForReady().withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
    } finally {
      server.shutdownNow();
    }
  }

  @Test
  void whenNoServerResolvesCallsFailUnavailableNamingThem() {
    try (SkiffClient client = SkiffClient.connect(List.of("no-such-api-server.invalid:6443"))) {
      assertThatThrownBy(() -> HealthGrpc.newBlockingStub(client.channel()).withDeadlineAfter(10, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription())
                .contains("none of the API servers [no-such-api-server.invalid:6443] resolves");
          });
    }
  }

  @Test
  void closeShutsDownOnlyChannelsItMade() {
    SkiffClient made = SkiffClient.connect(List.of("127.0.0.1:1"));
    made.close();
    assertThat(((io.grpc.ManagedChannel) made.channel()).isShutdown()).isTrue();
    io.grpc.ManagedChannel mine = io.grpc.inprocess.InProcessChannelBuilder.forName("x").build();
    SkiffClient.forChannel(mine).close();
    assertThat(mine.isShutdown()).isFalse();
    mine.shutdownNow();
  }

  private static Server healthServer() throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    return Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(health.getHealthService()).build().start();
  }

  private static int port(Server server) {
    return ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
  }

  private static int deadPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
