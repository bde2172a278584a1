package dev.skiff.controllers;

import dev.skiff.controllers.nodelifecycle.ZoneState.EvictionRates;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the controller manager; {@link #defaults()} gives Kubernetes' values.
 *
 * @param controllers which controllers run, Kubernetes' {@code --controllers} syntax: names,
 *     {@code *} for all, {@code -name} to leave one out (see {@link Controllers#ALL})
 * @param leaderElect whether to run only while holding the leader lease
 * @param identity this instance's name in the leader lease
 * @param leaseDuration how long a leader lease is valid without renewal
 * @param renewDeadline how long the leader keeps trying to renew before giving up
 * @param retryPeriod how often acquisition and renewal are tried
 * @param resyncPeriod how often informers replay their cache to the handlers (safety net)
 * @param workers worker threads per controller queue
 * @param nodeMonitorGracePeriod how stale a node's lease may get before the node is Unknown
 * @param nodeMonitorPeriod how often node health is re-checked between lease updates
 * @param defaultTolerationSeconds how long a pod without its own toleration stays on an unreachable
 *     or not-ready node before eviction (Kubernetes' --default-not-ready/unreachable-toleration-seconds)
 * @param evictionRates how fast nodes are tainted for eviction when many fail at once
 */
public record ControllerManagerConfig(
    List<String> controllers,
    boolean leaderElect,
    String identity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    Duration resyncPeriod,
    int workers,
    Duration nodeMonitorGracePeriod,
    Duration nodeMonitorPeriod,
    Duration defaultTolerationSeconds,
    EvictionRates evictionRates) {

  /** The namespace and name of the leader lease. */
  public static final String LEASE_NAMESPACE = "kube-system";
  public static final String LEASE_NAME = "kube-controller-manager";

  public ControllerManagerConfig {
    controllers = List.copyOf(controllers);
    Objects.requireNonNull(identity, "identity");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    if (nodeMonitorGracePeriod.isNegative() || nodeMonitorGracePeriod.isZero()) {
      throw new IllegalArgumentException("node monitor grace period must be positive, got " + nodeMonitorGracePeriod);
    }
  }

  public static ControllerManagerConfig defaults() {
    return new ControllerManagerConfig(List.of("*"), true, defaultIdentity(),
        Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2),
        Duration.ofMinutes(10), 5, Duration.ofSeconds(40), Duration.ofSeconds(5),
        Duration.ofSeconds(300), EvictionRates.DEFAULT);
  }

  public ControllerManagerConfig withControllers(List<String> names) {
    return new ControllerManagerConfig(names, leaderElect, identity, leaseDuration, renewDeadline,
        retryPeriod, resyncPeriod, workers, nodeMonitorGracePeriod, nodeMonitorPeriod,
        defaultTolerationSeconds, evictionRates);
  }

  public ControllerManagerConfig withLeaderElection(boolean elect, String id, Duration lease, Duration renew, Duration retry) {
    return new ControllerManagerConfig(controllers, elect, id, lease, renew, retry, resyncPeriod,
        workers, nodeMonitorGracePeriod, nodeMonitorPeriod, defaultTolerationSeconds, evictionRates);
  }

  public ControllerManagerConfig withNodeLifecycle(Duration gracePeriod, Duration monitorPeriod, Duration tolerationSeconds) {
    return new ControllerManagerConfig(controllers, leaderElect, identity, leaseDuration,
        renewDeadline, retryPeriod, resyncPeriod, workers, gracePeriod, monitorPeriod,
        tolerationSeconds, evictionRates);
  }

  public ControllerManagerConfig withEvictionRates(EvictionRates rates) {
    return new ControllerManagerConfig(controllers, leaderElect, identity, leaseDuration,
        renewDeadline, retryPeriod, resyncPeriod, workers, nodeMonitorGracePeriod,
        nodeMonitorPeriod, defaultTolerationSeconds, rates);
  }

  private static String defaultIdentity() {
    String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    return host + "_" + java.util.UUID.randomUUID();
  }
}
