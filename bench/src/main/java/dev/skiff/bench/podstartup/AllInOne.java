package dev.skiff.bench.podstartup;

import dev.skiff.cli.server.AllInOneCluster;
import dev.skiff.cli.server.AllInOneConfig;
import dev.skiff.client.SkiffClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Every component of a one-machine cluster in this JVM, exactly as {@code skiff server} runs
 * them ({@link AllInOneCluster}), with the node agent's CRI calls going through a
 * {@link TimedRuntime} so that startup phases are timed per pod.
 */
final class AllInOne implements AutoCloseable {
  static final String NODE = "bench-node";

  final SkiffClient client;
  /** The runtime as the agent sees it: every call forwarded, startup phases timed per pod. */
  final TimedRuntime timed;
  private final AllInOneCluster cluster;

  AllInOne(Path dataDir, String criEndpoint) throws IOException {
    TimedRuntime[] wrapped = new TimedRuntime[1];
    AllInOneConfig config = new AllInOneConfig(dataDir.resolve("store"), "127.0.0.1:0", "",
        new AllInOneConfig.NodeSpec(NODE, "127.0.0.1", "remote", criEndpoint, 0,
            dataDir.resolve("agent"), dataDir.resolve("pod-logs")));
    cluster = new AllInOneCluster(config, Clock.systemUTC(), cri -> wrapped[0] = new TimedRuntime(cri));
    try {
      cluster.start();
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    client = cluster.client();
    timed = wrapped[0];
  }

  @Override
  public void close() {
    cluster.close();
  }
}
