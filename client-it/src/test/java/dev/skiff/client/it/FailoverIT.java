package dev.skiff.client.it;

import static dev.skiff.client.it.Fixtures.eventually;
import static dev.skiff.client.it.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.informer.InformerFactory;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link SkiffClient#connect} to two API server endpoints (TCP, the same apiserver behind each):
 * when one goes away, reads and informers carry on through the other.
 */
class FailoverIT {
  @Test
  void callsAndInformersSurviveLosingOneServer() throws Exception {
    try (InProcessCluster cluster = InProcessCluster.start()) {
      Fixtures.createNamespace(cluster.client(), "fo");
      Server first = serve(cluster);
      Server second = serve(cluster);
      int deadPort = freePort();
      List<String> servers = List.of("127.0.0.1:" + deadPort, "127.0.0.1:" + port(first), "localhost:" + port(second));
      try (SkiffClient client = SkiffClient.connect(servers);
           InformerFactory factory = new InformerFactory(client, Duration.ZERO)) {
        var pods = client.resource(Kinds.POD);
        pods.create(pod("fo", "p0", ""));
        var informer = factory.informerFor(Kinds.POD);
        factory.start();
        assertThat(factory.waitForSync(Duration.ofSeconds(15))).isTrue();

        first.shutdownNow(); // one of the two live servers dies, with calls and a watch on it maybe
        first.awaitTermination();
        for (int i = 1; i <= 20; i++) {
          assertThat(pods.get("fo", "p0").getMetadata().getName()).isEqualTo("p0");
        }
        cluster.client().resource(Kinds.POD).create(pod("fo", "p1", ""));
        eventually().untilAsserted(() -> assertThat(informer.lister().get("fo", "p1")).isPresent());
      } finally {
        first.shutdownNow();
        second.shutdownNow();
      }
    }
  }

  private static Server serve(InProcessCluster cluster) throws IOException {
    ServerBuilder<?> builder = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create());
    cluster.apiServer().services().forEach(builder::addService);
    return builder.build().start();
  }

  private static int port(Server server) {
    return ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
