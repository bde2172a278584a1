package dev.skiff.scheduler.framework;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.client.api.Quantity;
import java.util.HashMap;
import java.util.Map;

/**
 * Resource amounts in the scheduler's units: CPU in millicores, everything else (memory, pods,
 * ephemeral-storage, extended resources like {@code example.com/gpu}) in whole units. Immutable.
 */
public record Resources(long milliCpu, long memory, Map<String, Long> scalars) {

  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String PODS = "pods";
  public static final Resources NONE = new Resources(0, 0, Map.of());

  /** Kubernetes' defaults for scoring containers that request nothing (not for filtering). */
  public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
  public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

  public Resources {
    scalars = Map.copyOf(scalars);
  }

  /** Parses a resource list (requests, allocatable): "cpu" → millis, other names → units. */
  public static Resources parse(Map<String, String> list) {
    if (list.isEmpty()) {
      return NONE;
    }
    long cpu = 0;
    long memory = 0;
    Map<String, Long> scalars = new HashMap<>();
    for (Map.Entry<String, String> e : list.entrySet()) {
      Quantity q = Quantity.parse(e.getValue());
      switch (e.getKey()) {
        case CPU -> cpu = q.milliValue();
        case MEMORY -> memory = q.value();
        default -> scalars.put(e.getKey(), q.value());
      }
    }
    return new Resources(cpu, memory, scalars);
  }

  /**
   * A pod's effective request, Kubernetes' rule: the larger of (the sum over app containers plus
   * sidecars) and (each init container's request plus the sidecars started before it), plus the
   * pod overhead.
   */
  public static Resources podRequests(PodSpec spec) {
    Resources sum = NONE;
    for (Container c : spec.getContainersList()) {
      sum = sum.plus(parse(c.getResources().getRequestsMap()));
    }
    Resources sidecars = NONE;
    Resources initPeak = NONE;
    for (Container c : spec.getInitContainersList()) {
      Resources r = parse(c.getResources().getRequestsMap());
      if ("Always".equals(c.getRestartPolicy())) {
        sidecars = sidecars.plus(r);
        initPeak = initPeak.max(sidecars);
      } else {
        initPeak = initPeak.max(sidecars.plus(r));
      }
    }
    return sum.plus(sidecars).max(initPeak).plus(parse(spec.getOverheadMap()));
  }

  /** CPU and memory requests with Kubernetes' non-zero defaults per container, for scoring. */
  public static Resources nonZeroPodRequests(PodSpec spec) {
    long cpu = 0;
    long memory = 0;
    for (Container c : spec.getContainersList()) {
      Map<String, String> req = c.getResources().getRequestsMap();
      cpu += req.containsKey(CPU) ? Quantity.parse(req.get(CPU)).milliValue() : DEFAULT_MILLI_CPU_REQUEST;
      memory += req.containsKey(MEMORY) ? Quantity.parse(req.get(MEMORY)).value() : DEFAULT_MEMORY_REQUEST;
    }
    Resources overhead = parse(spec.getOverheadMap());
    return new Resources(cpu + overhead.milliCpu(), memory + overhead.memory(), Map.of());
  }

  public long scalar(String name) {
    return scalars.getOrDefault(name, 0L);
  }

  public boolean isZero() {
    return milliCpu == 0 && memory == 0 && scalars.values().stream().allMatch(v -> v == 0);
  }

  public Resources plus(Resources o) {
    return combine(o, 1);
  }

  public Resources minus(Resources o) {
    return combine(o, -1);
  }

  private Resources combine(Resources o, int sign) {
    if (o.scalars.isEmpty() && scalars.isEmpty()) {
      return new Resources(milliCpu + sign * o.milliCpu, memory + sign * o.memory, Map.of());
    }
    Map<String, Long> merged = new HashMap<>(scalars);
    o.scalars.forEach((k, v) -> merged.merge(k, sign * v, Long::sum));
    return new Resources(milliCpu + sign * o.milliCpu, memory + sign * o.memory, merged);
  }

  /** The element-wise maximum. */
  public Resources max(Resources o) {
    Map<String, Long> merged = new HashMap<>(scalars);
    o.scalars.forEach((k, v) -> merged.merge(k, v, Math::max));
    return new Resources(Math.max(milliCpu, o.milliCpu), Math.max(memory, o.memory), merged);
  }
}
