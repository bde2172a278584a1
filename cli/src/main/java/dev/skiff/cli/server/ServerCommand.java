package dev.skiff.cli.server;

import dev.skiff.cli.Main;
import dev.skiff.cli.config.SkiffConfig;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code skiff server}: the all-in-one cluster ({@link AllInOneCluster}) until Ctrl-C, which
 * stops everything in reverse order. Sets containerd up first when it is missing and the user is
 * root; otherwise says what to run and starts the control plane without a node.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Run a whole cluster in this process: store, API server, scheduler, controller manager"
        + " and a node agent for this machine.")
public final class ServerCommand implements Callable<Integer> {
  @Option(names = "--data-dir", description = "The store's data (default: /var/lib/skiff/data as root, else ~/.skiff/data).")
  Path dataDir;

  @Option(names = "--listen", defaultValue = "127.0.0.1:" + 6443,
      description = "The API server's address (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--store-listen", defaultValue = "127.0.0.1:2379",
      description = "Also serve the store's etcd API here; empty for none (default: ${DEFAULT-VALUE}).")
  String storeListen;

  @Option(names = "--runtime", defaultValue = "remote",
      description = "remote (containerd through the CRI), simulated (a hollow node) or none (default: ${DEFAULT-VALUE}).")
  String runtime;

  @Option(names = "--runtime-endpoint", defaultValue = "unix:///var/lib/skiff/containerd/containerd.sock",
      description = "containerd's CRI socket (default: ${DEFAULT-VALUE}).")
  String runtimeEndpoint;

  @Option(names = "--node-name", description = "This machine's node name (default: its hostname).")
  String nodeName;

  @Option(names = "--node-ip", description = "This machine's node IP (default: the address of the default route).")
  String nodeIp;

  @Option(names = "--agent-port", defaultValue = "10250", description = "The node agent's port (default: ${DEFAULT-VALUE}).")
  int agentPort;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (!runtime.equals("remote") && !runtime.equals("simulated") && !runtime.equals("none")) {
      throw new dev.skiff.cli.CliException("--runtime must be remote, simulated or none, got \"" + runtime + "\"");
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Path home = Path.of(System.getProperty("user.home"));
    Path base = root ? Path.of("/var/lib/skiff") : home.resolve(".skiff");
    Path data = dataDir != null ? dataDir : base.resolve("data");
    Files.createDirectories(data);

    AllInOneConfig.NodeSpec node = null;
    String nodeProblem = "";
    if (!runtime.equals("none")) {
      String endpoint = runtimeEndpoint;
      if (runtime.equals("remote")) {
        RuntimeSetup.Outcome outcome = new RuntimeSetup(repoDir().resolve("scripts"), root, out).ensure(runtimeEndpoint);
        endpoint = outcome.endpoint().orElse(null);
        nodeProblem = outcome.problem();
      }
      if (endpoint != null) {
        String name = nodeName != null ? nodeName : InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        node = new AllInOneConfig.NodeSpec(name, nodeIp != null ? nodeIp : defaultIp(), runtime, endpoint, agentPort,
            base, root ? Path.of("/var/log/pods") : base.resolve("pods"));
      }
    }

    AllInOneCluster cluster = new AllInOneCluster(new AllInOneConfig(data, listen, storeListen, node), Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      out.println("skiff server: stopping...");
      out.flush();
      cluster.close();
      stopped.countDown();
    }, "skiff-server-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      cluster.start();
    } catch (Exception e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      cluster.close();
      throw e;
    }
    printHowTo(out, cluster, data, nodeProblem);
    stopped.await();
    return 0;
  }

  private void printHowTo(PrintWriter out, AllInOneCluster cluster, Path data, String nodeProblem) {
    String api = cluster.apiAddress();
    out.println();
    out.println("skiff server is running.");
    out.println("  API server:   " + api);
    out.println("  etcd API:     " + (cluster.storeUrls().isEmpty() ? "(not exposed)" : String.join(",", cluster.storeUrls())));
    out.println("  data:         " + data);
    out.println("  node:         " + cluster.nodeDescription());
    if (!nodeProblem.isEmpty()) {
      out.println();
      out.println("  No node agent: " + nodeProblem);
      out.println("  Pods will stay Pending until a node joins.");
    }
    out.println();
    out.println("Use it from another terminal:");
    if (!api.equals(SkiffConfig.DEFAULT_SERVER)) {
      out.println("  export SKIFF_SERVER=" + api + "      # or: ./skiff config set-server " + api);
    }
    out.println("  ./skiff get nodes");
    out.println("  ./skiff apply -f <manifest.yaml>");
    out.println("  ./skiff get pods -w");
    out.println("Ctrl-C stops the cluster (its data stays in " + data + ").");
    out.flush();
  }

  /** The source tree holding scripts/: -Dskiff.home from the launcher, else where the jar is. */
  static Path repoDir() {
    String home = System.getProperty("skiff.home");
    if (home != null) {
      return Path.of(home);
    }
    try {
      Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = jar.getParent();
      while (dir != null && !Files.isDirectory(dir.resolve("scripts"))) {
        dir = dir.getParent();
      }
      return dir != null ? dir : Path.of("").toAbsolutePath();
    } catch (Exception e) {
      return Path.of("").toAbsolutePath();
    }
  }

  static String defaultIp() {
    try (DatagramSocket s = new DatagramSocket()) {
      s.connect(InetAddress.getByName("10.255.255.255"), 9);
      String ip = s.getLocalAddress().getHostAddress();
      return ip.equals("0.0.0.0") ? "127.0.0.1" : ip;
    } catch (Exception e) {
      return "127.0.0.1";
    }
  }
}
