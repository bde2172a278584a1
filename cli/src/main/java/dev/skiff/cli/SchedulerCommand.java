package dev.skiff.cli;

import dev.skiff.client.SkiffClient;
import dev.skiff.scheduler.Scheduler;
import dev.skiff.scheduler.SchedulerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skiff scheduler}: binds pending pods to nodes through one or more API servers, leader
 * elected so standbys can run beside it. Flag names follow kube-scheduler.
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
    description = "Run the scheduler (leader elected).")
public final class SchedulerCommand implements Callable<Integer> {
  @Option(names = "--server", split = ",", defaultValue = "127.0.0.1:6443",
      description = "API servers as host:port, comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> servers;

  @Option(names = "--scheduler-name", defaultValue = SchedulerConfig.DEFAULT_SCHEDULER_NAME,
      description = "Schedule pods whose spec.schedulerName is this; also the lease name "
          + "(default: ${DEFAULT-VALUE}).")
  String schedulerName;

  @Option(names = "--leader-elect", negatable = true, defaultValue = "true", fallbackValue = "true",
      arity = "0..1",
      description = "Run only while holding the lease <namespace>/<scheduler-name> (default: ${DEFAULT-VALUE}).")
  boolean leaderElect;

  @Option(names = "--leader-elect-resource-namespace", defaultValue = "kube-system",
      description = "Namespace of the lease (default: ${DEFAULT-VALUE}).")
  String leaseNamespace;

  @Option(names = "--leader-elect-lease-duration", defaultValue = "15s",
      converter = ControllerManagerCommand.GoDuration.class,
      description = "Lease validity without renewal (default: ${DEFAULT-VALUE}).")
  Duration leaseDuration;

  @Option(names = "--leader-elect-renew-deadline", defaultValue = "10s",
      converter = ControllerManagerCommand.GoDuration.class,
      description = "How long the leader retries renewal before stepping down (default: ${DEFAULT-VALUE}).")
  Duration renewDeadline;

  @Option(names = "--leader-elect-retry-period", defaultValue = "2s",
      converter = ControllerManagerCommand.GoDuration.class,
      description = "Interval between acquire/renew attempts (default: ${DEFAULT-VALUE}).")
  Duration retryPeriod;

  @Option(names = "--parallelism", defaultValue = "2",
      description = "Threads filtering nodes for one pod (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--percentage-of-nodes-to-score", defaultValue = "0",
      description = "Stop filtering once this share of nodes fits; 0 = adaptive like Kubernetes "
          + "(default: ${DEFAULT-VALUE}).")
  int percentageOfNodesToScore;

  @Override
  public Integer call() throws Exception {
    SchedulerConfig config;
    try {
      SchedulerConfig defaults = SchedulerConfig.defaults();
      config = defaults.withSchedulerName(schedulerName)
          .withLeaderElection(leaderElect, defaults.identity())
          .withLeaseTimings(leaseNamespace, leaseDuration, renewDeadline, retryPeriod)
          .withParallelism(parallelism, percentageOfNodesToScore);
    } catch (IllegalArgumentException e) {
      System.err.println("skiff scheduler: " + e.getMessage());
      return 2;
    }
    SkiffClient client = SkiffClient.connect(servers);
    Scheduler scheduler = new Scheduler(client, config, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      scheduler.close();
      client.close();
      stopped.countDown();
    }, "scheduler-shutdown"));
    scheduler.start();
    System.err.println("skiff scheduler: " + config.identity() + " scheduling pods of '"
        + schedulerName + "' through " + String.join(",", servers)
        + (leaderElect ? " (leader elected)" : ""));
    stopped.await();
    return 0;
  }
}
