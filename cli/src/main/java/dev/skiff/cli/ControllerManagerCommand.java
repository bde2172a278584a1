package dev.skiff.cli;

import dev.skiff.client.SkiffClient;
import dev.skiff.controllers.ControllerManager;
import dev.skiff.controllers.ControllerManagerConfig;
import dev.skiff.controllers.Controllers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code skiff controller-manager}: runs the controllers (ReplicaSet, Deployment, node lifecycle,
 * endpoints, namespace, garbage collector, service account) against one or more API servers,
 * leader elected so standbys can run beside it. Flag names follow kube-controller-manager.
 */
@Command(name = "controller-manager", mixinStandardHelpOptions = true,
    description = "Run the controller manager (leader elected).")
public final class ControllerManagerCommand implements Callable<Integer> {
  @Option(names = "--server", split = ",", defaultValue = "127.0.0.1:6443",
      description = "API servers as host:port, comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> servers;

  @Option(names = "--leader-elect", negatable = true, defaultValue = "true", fallbackValue = "true", arity = "0..1",
      description = "Run only while holding the kube-system/kube-controller-manager lease (default: ${DEFAULT-VALUE}).")
  boolean leaderElect;

  @Option(names = "--leader-elect-lease-duration", defaultValue = "15s", converter = GoDuration.class,
      description = "Lease validity without renewal (default: ${DEFAULT-VALUE}).")
  Duration leaseDuration;

  @Option(names = "--leader-elect-renew-deadline", defaultValue = "10s", converter = GoDuration.class,
      description = "How long the leader retries renewal before stepping down (default: ${DEFAULT-VALUE}).")
  Duration renewDeadline;

  @Option(names = "--leader-elect-retry-period", defaultValue = "2s", converter = GoDuration.class,
      description = "Interval between acquire/renew attempts (default: ${DEFAULT-VALUE}).")
  Duration retryPeriod;

  @Option(names = "--controllers", split = ",", defaultValue = "*",
      description = "Controllers to run: names, '*' for all, '-name' to disable one. Known: "
          + "replicaset, deployment, nodelifecycle, endpoints, namespace, garbagecollector, serviceaccount, podgc.")
  List<String> controllers;

  @Option(names = "--node-monitor-grace-period", defaultValue = "40s", converter = GoDuration.class,
      description = "How long a node may go without a heartbeat before it is marked Unknown (default: ${DEFAULT-VALUE}).")
  Duration nodeMonitorGracePeriod;

  @Option(names = "--node-monitor-period", defaultValue = "5s", converter = GoDuration.class,
      description = "How often unhealthy nodes are re-checked (default: ${DEFAULT-VALUE}).")
  Duration nodeMonitorPeriod;

  @Option(names = {"--pod-eviction-timeout", "--default-unreachable-toleration-seconds"}, defaultValue = "300s",
      converter = GoDuration.class,
      description = "How long pods without their own toleration stay on an unreachable or not-ready node "
          + "(default: ${DEFAULT-VALUE}; a bare number is seconds).")
  Duration defaultTolerationSeconds;

  @Option(names = "--concurrent-syncs", defaultValue = "5",
      description = "Worker threads per controller (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--min-resync-period", defaultValue = "10m", converter = GoDuration.class,
      description = "Informer resync period (default: ${DEFAULT-VALUE}).")
  Duration resyncPeriod;

  @Override
  public Integer call() throws Exception {
    ControllerManagerConfig defaults = ControllerManagerConfig.defaults();
    ControllerManagerConfig config;
    try {
      Controllers.enabled(controllers);
      config = new ControllerManagerConfig(controllers, leaderElect, defaults.identity(), leaseDuration,
          renewDeadline, retryPeriod, resyncPeriod, workers, nodeMonitorGracePeriod, nodeMonitorPeriod,
          defaultTolerationSeconds, defaults.evictionRates());
    } catch (IllegalArgumentException e) {
      System.err.println("skiff controller-manager: " + e.getMessage());
      return 2;
    }
    SkiffClient client = SkiffClient.connect(servers);
    ControllerManager manager = new ControllerManager(client, config, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      manager.close();
      client.close();
      stopped.countDown();
    }, "controller-manager-shutdown"));
    manager.start();
    System.err.println("skiff controller-manager: " + config.identity() + " running " + manager.enabledControllers()
        + " against " + String.join(",", servers) + (leaderElect ? " (leader elected)" : ""));
    stopped.await();
    return 0;
  }

  /** Go-style durations as Kubernetes flags take them: "40s", "1m30s", "500ms"; a bare number is seconds. */
  static final class GoDuration implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
      String v = value.trim();
      if (v.matches("\\d+")) {
        return Duration.ofSeconds(Long.parseLong(v));
      }
      Matcher m = PART.matcher(v);
      Duration total = Duration.ZERO;
      int end = 0;
      while (m.find() && m.start() == end) {
        double n = Double.parseDouble(m.group(1));
        long unitMillis = switch (m.group(2)) {
          case "ms" -> 1;
          case "s" -> 1000;
          case "m" -> 60_000;
          default -> 3_600_000;
        };
        total = total.plusMillis(Math.round(n * unitMillis));
        end = m.end();
      }
      if (end != v.length() || v.isEmpty()) {
        throw new IllegalArgumentException("'" + value + "' is not a duration such as 40s, 5m or 1m30s");
      }
      return total;
    }
  }
}
