package dev.skiff.nodeagent.probe;

/** The three probes of a container; each has its own initial result (kubelet's). */
public enum ProbeType {
  /** Initially Success: a container is alive until proven otherwise. */
  LIVENESS(ProbeResult.SUCCESS),
  /** Initially Failure: not ready until a probe succeeds. */
  READINESS(ProbeResult.FAILURE),
  /** Initially Unknown: liveness and readiness wait until it succeeds. */
  STARTUP(ProbeResult.UNKNOWN);

  private final ProbeResult initial;

  ProbeType(ProbeResult initial) {
    this.initial = initial;
  }

  public ProbeResult initial() {
    return initial;
  }
}
