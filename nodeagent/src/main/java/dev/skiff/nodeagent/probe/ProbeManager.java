package dev.skiff.nodeagent.probe;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.Probe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Probe state of every running container of the node, and the decision when each probe is due:
 * kubelet's prober workers, except that probes run inside the pod's sync (so on the pod's worker,
 * never two at once for one pod) and the sync is re-queued at the next due time. Time comes from
 * the injected clock.
 *
 * <p>Thresholds: a result flips to Success after {@code successThreshold} consecutive successes,
 * to Failure after {@code failureThreshold} consecutive failures. A new container id resets the
 * state. Thread-safe map; each entry is touched only by its pod's worker.
 */
public final class ProbeManager {
  /** One probe of one container instance. */
  private static final class State {
    final String containerId;
    ProbeResult result;
    int successes;
    int failures;
    Instant lastRun;

    State(String containerId, ProbeResult initial) {
      this.containerId = containerId;
      this.result = initial;
    }
  }

  private final Clock clock;
  private final Prober prober;
  private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

  public ProbeManager(Clock clock, Prober prober) {
    this.clock = clock;
    this.prober = prober;
  }

  private static String key(String podUid, String container, ProbeType type) {
    return podUid + "/" + container + "/" + type;
  }

  public static Optional<Probe> probe(Container c, ProbeType type) {
    return switch (type) {
      case LIVENESS -> c.hasLivenessProbe() ? Optional.of(c.getLivenessProbe()) : Optional.empty();
      case READINESS -> c.hasReadinessProbe() ? Optional.of(c.getReadinessProbe()) : Optional.empty();
      case STARTUP -> c.hasStartupProbe() ? Optional.of(c.getStartupProbe()) : Optional.empty();
    };
  }

  /** The current result of one probe of a container instance (its initial one if never run). */
  public ProbeResult result(String podUid, Container c, String containerId, ProbeType type) {
    State s = states.get(key(podUid, c.getName(), type));
    return s != null && s.containerId.equals(containerId) ? s.result : type.initial();
  }

  /** True once the container has started: no startup probe, or the startup probe succeeded. */
  public boolean started(String podUid, Container c, String containerId) {
    return !c.hasStartupProbe()
        || result(podUid, c, containerId, ProbeType.STARTUP) == ProbeResult.SUCCESS;
  }

  /**
   * Runs the probes of a running container that are due now.
   *
   * @param startedAt when the container instance started (initialDelaySeconds counts from it)
   * @return when the next probe of this container is due, or empty when it has none
   */
  public Optional<Instant> runDue(String podUid, Container c, String containerId, Instant startedAt,
      String podIp) {
    Instant now = clock.instant();
    Instant next = null;
    for (ProbeType type : ProbeType.values()) {
      Optional<Probe> p = probe(c, type);
      if (p.isEmpty()) {
        continue;
      }
      if (type != ProbeType.STARTUP && !started(podUid, c, containerId)) {
        continue;
      }
      if (type == ProbeType.STARTUP && started(podUid, c, containerId)) {
        continue; // a startup probe stops once it succeeded
      }
      Probe probe = p.get();
      String key = key(podUid, c.getName(), type);
      State s = states.compute(key, (k, old) ->
          old != null && old.containerId.equals(containerId) ? old : new State(containerId, type.initial()));
      Duration period = Duration.ofSeconds(Math.max(1, probe.hasPeriodSeconds() ? probe.getPeriodSeconds() : 10));
      Instant due = s.lastRun == null
          ? startedAt.plusSeconds(Math.max(0, probe.getInitialDelaySeconds()))
          : s.lastRun.plus(period);
      if (!now.isBefore(due)) {
        ProbeResult r = prober.run(probe, c, containerId, podIp);
        s.lastRun = clock.instant();
        apply(s, r, probe);
        due = s.lastRun.plus(period);
        if (type == ProbeType.STARTUP && s.result == ProbeResult.SUCCESS) {
          due = clock.instant(); // liveness/readiness may start at once
        }
      }
      next = next == null || due.isBefore(next) ? due : next;
    }
    return Optional.ofNullable(next);
  }

  private static void apply(State s, ProbeResult r, Probe probe) {
    int successThreshold = Math.max(1, probe.hasSuccessThreshold() ? probe.getSuccessThreshold() : 1);
    int failureThreshold = Math.max(1, probe.hasFailureThreshold() ? probe.getFailureThreshold() : 3);
    if (r == ProbeResult.SUCCESS) {
      s.failures = 0;
      s.successes++;
      if (s.successes >= successThreshold) {
        s.result = ProbeResult.SUCCESS;
      }
    } else {
      s.successes = 0;
      s.failures++;
      if (s.failures >= failureThreshold) {
        s.result = ProbeResult.FAILURE;
      }
    }
  }

  /** Forgets the probe state of a container (after it was killed for a failed liveness probe). */
  public void reset(String podUid, String container) {
    for (ProbeType t : ProbeType.values()) {
      states.remove(key(podUid, container, t));
    }
  }

  /** Forgets every probe of a pod. */
  public void forgetPod(String podUid) {
    states.keySet().removeIf(k -> k.startsWith(podUid + "/"));
  }
}
