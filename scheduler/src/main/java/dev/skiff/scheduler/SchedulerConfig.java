package dev.skiff.scheduler;

import java.time.Duration;
import java.util.List;

/**
 * How a {@link Scheduler} runs.
 *
 * @param schedulerNames the {@code spec.schedulerName} values served, one default profile each
 * @param leaderElect whether to run only while holding the Lease {@code leaseNamespace/leaseName}
 * @param identity this instance's name in the Lease (holderIdentity)
 * @param parallelism threads filtering nodes for one pod (the scheduling thread included)
 * @param percentageOfNodesToScore 1..100, or 0 for Kubernetes' adaptive default
 * @param initialBackoff first retry delay of a pod that failed; doubles per attempt
 * @param maxBackoff the longest retry delay
 * @param maxUnschedulable how long a pod waits for a cluster event before a retry regardless
 * @param assumeTtl how long an assumed pod whose bind returned waits for the informer to confirm
 * @param maxBindsInFlight concurrent Bind calls; the scheduling loop waits beyond that
 * @param apiTimeout deadline of each API call the scheduler makes
 */
public record SchedulerConfig(
    List<String> schedulerNames,
    boolean leaderElect,
    String leaseNamespace,
    String leaseName,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    int parallelism,
    int percentageOfNodesToScore,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration maxUnschedulable,
    Duration assumeTtl,
    int maxBindsInFlight,
    Duration apiTimeout) {

  public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

  public SchedulerConfig {
    schedulerNames = List.copyOf(schedulerNames);
    if (schedulerNames.isEmpty()) {
      throw new IllegalArgumentException("at least one scheduler name is needed");
    }
    if (parallelism < 1 || maxBindsInFlight < 1) {
      throw new IllegalArgumentException("parallelism and maxBindsInFlight must be at least 1");
    }
    if (percentageOfNodesToScore < 0 || percentageOfNodesToScore > 100) {
      throw new IllegalArgumentException("percentageOfNodesToScore must be 0..100");
    }
  }

  /** One "default-scheduler" profile, no leader election, Kubernetes' default timings. */
  public static SchedulerConfig defaults() {
    return new SchedulerConfig(List.of(DEFAULT_SCHEDULER_NAME), false, "kube-system",
        DEFAULT_SCHEDULER_NAME, defaultIdentity(), Duration.ofSeconds(15), Duration.ofSeconds(10),
        Duration.ofSeconds(2), 2, 0, Duration.ofSeconds(1), Duration.ofSeconds(10),
        Duration.ofMinutes(5), Duration.ofSeconds(30), 512, Duration.ofSeconds(10));
  }

  /** Serves {@code name} only; the lease is named after it too. */
  public SchedulerConfig withSchedulerName(String name) {
    return new SchedulerConfig(List.of(name), leaderElect, leaseNamespace, name, identity,
        leaseDuration, renewDeadline, retryPeriod, parallelism, percentageOfNodesToScore,
        initialBackoff, maxBackoff, maxUnschedulable, assumeTtl, maxBindsInFlight, apiTimeout);
  }

  public SchedulerConfig withLeaderElection(boolean enabled, String identity) {
    return new SchedulerConfig(schedulerNames, enabled, leaseNamespace, leaseName, identity,
        leaseDuration, renewDeadline, retryPeriod, parallelism, percentageOfNodesToScore,
        initialBackoff, maxBackoff, maxUnschedulable, assumeTtl, maxBindsInFlight, apiTimeout);
  }

  public SchedulerConfig withLeaseTimings(String namespace, Duration duration, Duration renew,
      Duration retry) {
    return new SchedulerConfig(schedulerNames, leaderElect, namespace, leaseName, identity,
        duration, renew, retry, parallelism, percentageOfNodesToScore, initialBackoff, maxBackoff,
        maxUnschedulable, assumeTtl, maxBindsInFlight, apiTimeout);
  }

  public SchedulerConfig withParallelism(int threads, int percentageOfNodes) {
    return new SchedulerConfig(schedulerNames, leaderElect, leaseNamespace, leaseName, identity,
        leaseDuration, renewDeadline, retryPeriod, threads, percentageOfNodes, initialBackoff,
        maxBackoff, maxUnschedulable, assumeTtl, maxBindsInFlight, apiTimeout);
  }

  public SchedulerConfig withBackoff(Duration initial, Duration max) {
    return new SchedulerConfig(schedulerNames, leaderElect, leaseNamespace, leaseName, identity,
        leaseDuration, renewDeadline, retryPeriod, parallelism, percentageOfNodesToScore, initial,
        max, maxUnschedulable, assumeTtl, maxBindsInFlight, apiTimeout);
  }

  private static String defaultIdentity() {
    String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    return host + "_" + ProcessHandle.current().pid();
  }
}
