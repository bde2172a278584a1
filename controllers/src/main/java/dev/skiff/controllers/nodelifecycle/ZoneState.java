package dev.skiff.controllers.nodelifecycle;

/**
 * The health of a zone, which sets how fast its nodes are tainted for eviction (Kubernetes'
 * {@code ComputeZoneState}).
 */
public enum ZoneState {
  /** Few nodes unhealthy: evict at the normal rate. */
  NORMAL,
  /** More than two nodes and at least the threshold fraction unhealthy: evict slowly or not at all. */
  PARTIAL_DISRUPTION,
  /** No node healthy. */
  FULL_DISRUPTION;

  /** The state of a zone with {@code ready} healthy and {@code notReady} unhealthy nodes. */
  public static ZoneState of(int ready, int notReady, double unhealthyThreshold) {
    if (ready == 0 && notReady > 0) {
      return FULL_DISRUPTION;
    }
    if (notReady > 2 && (double) notReady / (notReady + ready) >= unhealthyThreshold) {
      return PARTIAL_DISRUPTION;
    }
    return NORMAL;
  }

  /**
   * The taint rate for a zone in this state: the normal rate, the secondary rate for a partially
   * disrupted zone larger than {@code largeClusterSize} (zero for a smaller one), and the normal
   * rate for a fully disrupted zone unless every zone is fully disrupted (then nothing: the
   * controller, not the nodes, is probably cut off).
   */
  public double rate(EvictionRates rates, int zoneSize, boolean allZonesFullyDisrupted) {
    return switch (this) {
      case NORMAL -> rates.qps();
      case PARTIAL_DISRUPTION -> zoneSize > rates.largeClusterSize() ? rates.secondaryQps() : 0;
      case FULL_DISRUPTION -> allZonesFullyDisrupted ? 0 : rates.qps();
    };
  }

  /** Kubernetes' eviction rate settings. */
  public record EvictionRates(double qps, double secondaryQps, int largeClusterSize, double unhealthyThreshold) {
    public static final EvictionRates DEFAULT = new EvictionRates(0.1, 0.01, 50, 0.55);
  }
}
