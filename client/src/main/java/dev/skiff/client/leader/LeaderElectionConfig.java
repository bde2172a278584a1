package dev.skiff.client.leader;

import java.time.Duration;

/**
 * Settings of one leader election (client-go's LeaderElectionConfig).
 *
 * @param namespace namespace of the Lease object
 * @param leaseName name of the Lease object, shared by every candidate
 * @param identity this candidate's unique identity (e.g. host name + process id)
 * @param leaseDuration how long a lease stays valid after its last renewal; standbys take over after it
 * @param renewDeadline how long a leader keeps leading without a successful renewal
 * @param retryPeriod how often candidates try to acquire, and leaders to renew
 */
public record LeaderElectionConfig(String namespace, String leaseName, String identity,
                                   Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
  public LeaderElectionConfig {
    if (leaseName == null || leaseName.isEmpty()) {
      throw new IllegalArgumentException("leader election needs a lease name");
    }
    if (identity == null || identity.isEmpty()) {
      throw new IllegalArgumentException("leader election needs a non-empty identity");
    }
    if (namespace == null) {
      throw new IllegalArgumentException("leader election needs a namespace (e.g. kube-system)");
    }
    if (leaseDuration.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("leaseDuration must be at least 1s (Lease stores whole seconds), got " + leaseDuration);
    }
    if (retryPeriod.isNegative() || retryPeriod.isZero()) {
      throw new IllegalArgumentException("retryPeriod must be positive, got " + retryPeriod);
    }
    if (leaseDuration.compareTo(renewDeadline) <= 0 || renewDeadline.compareTo(retryPeriod) <= 0) {
      throw new IllegalArgumentException("need leaseDuration > renewDeadline > retryPeriod, got "
          + leaseDuration + " / " + renewDeadline + " / " + retryPeriod);
    }
  }

  /** Kubernetes' defaults: 15 s / 10 s / 2 s. */
  public static LeaderElectionConfig defaults(String namespace, String leaseName, String identity) {
    return new LeaderElectionConfig(namespace, leaseName, identity,
        Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }
}
