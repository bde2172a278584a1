package dev.skiff.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.cli.CliEnvironment;
import dev.skiff.cli.CliRunner;
import dev.skiff.cli.CliRunner.Result;
import dev.skiff.client.SkiffClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skiff server}'s wiring end to end, with a simulated node (no containerd needed): the
 * CLI reaches it over the network listener, a documentation Deployment rolls out, and close()
 * stops everything.
 */
class AllInOneClusterTest {
  @TempDir Path dir;

  @Test
  void documentationDeploymentRollsOutOnTheAllInOneCluster() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/manifests/nginx-deployment.yaml")) {
      Files.write(dir.resolve("nginx-deployment.yaml"), in.readAllBytes());
    }
    AllInOneConfig.NodeSpec node = new AllInOneConfig.NodeSpec("laptop", "127.0.0.1", "simulated", "", 0,
        dir.resolve("node"), dir.resolve("logs"));
    try (AllInOneCluster cluster = new AllInOneCluster(
        new AllInOneConfig(dir.resolve("data"), "127.0.0.1:0", "", node), Clock.systemUTC())) {
      cluster.start();
      CliRunner cli = new CliRunner(dir, dir, Clock.systemUTC(),
          servers -> SkiffClient.connect(servers, CliEnvironment.CLI_CLIENT_OPTIONS));
      String server = "--server=" + cluster.apiAddress();

      Result applied = cli.run("apply", "-f", "nginx-deployment.yaml", server);
      Result rollout = cli.run("rollout", "status", "deployment/nginx-deployment", "--timeout=120s", server);
      Result nodes = cli.run("get", "nodes", "--no-headers", server);
      Result pods = cli.run("get", "pods", "-l", "app=nginx", "-o", "name", server);

      assertThat(applied.out()).isEqualTo("deployment.apps/nginx-deployment created\n");
      assertThat(rollout.exitCode()).as(rollout.err()).isZero();
      assertThat(rollout.out()).endsWith("deployment \"nginx-deployment\" successfully rolled out\n");
      assertThat(nodes.out()).startsWith("laptop-0   Ready");
      assertThat(pods.out().lines().toList()).hasSize(3).allMatch(l -> l.startsWith("pod/nginx-deployment-"));
      assertThat(cluster.storeUrls()).isEqualTo(List.of());
    }
  }
}
