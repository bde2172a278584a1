package dev.skiff.bench.podstartup;

import dev.skiff.api.v1.Pod;
import dev.skiff.bench.podstartup.TimedRuntime.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/**
 * Where each pod's startup time went: for every pod, the moments (nanoTime) of its Create call, of
 * the first watch event showing it bound to the node, of the agent's first runtime read and of the
 * begin and end of each startup CRI call ({@link TimedRuntime}), and of the first watch event
 * showing it Running. {@link #table} prints p50 and max of each moment as an offset from Create,
 * and of the gaps between consecutive moments, plus the CRI calls a pod cost.
 *
 * <p>Thread-safe: {@link #observe} is called from the watch thread, {@link #table} afterwards.
 */
final class PhaseReport {
  private final Map<String, Long> created;
  private final Map<String, Long> running;
  private final Map<String, Long> scheduled = new ConcurrentHashMap<>();
  private final Map<String, String> uids = new ConcurrentHashMap<>();

  PhaseReport(Map<String, Long> created, Map<String, Long> running) {
    this.created = created;
    this.running = running;
  }

  void observe(Pod p, long now) {
    String name = p.getMetadata().getName();
    uids.putIfAbsent(name, p.getMetadata().getUid());
    if (!p.getSpec().getNodeName().isEmpty()) {
      scheduled.putIfAbsent(name, now);
    }
  }

  private record Moment(String label, ToLongFunction<String> at) {}

  String table(TimedRuntime timed) {
    List<Moment> moments = new ArrayList<>();
    moments.add(new Moment("scheduled (watch)", n -> scheduled.getOrDefault(n, -1L)));
    moments.add(new Moment("agent reads runtime", n -> mark(timed, n, Phase.SEEN, true)));
    for (Phase p : List.of(Phase.SANDBOX, Phase.IMAGE, Phase.CREATE, Phase.START)) {
      moments.add(new Moment(p.name().toLowerCase() + " begin", n -> mark(timed, n, p, true)));
      moments.add(new Moment(p.name().toLowerCase() + " end", n -> mark(timed, n, p, false)));
    }
    moments.add(new Moment("Running (watch)", n -> running.getOrDefault(n, -1L)));
    StringBuilder out = new StringBuilder(String.format("%-22s %12s %12s %14s %14s%n",
        "moment", "p50 from", "max from", "p50 since", "max since"));
    out.append(String.format("%-22s %12s %12s %14s %14s%n", "", "create (ms)", "create (ms)", "previous (ms)",
        "previous (ms)"));
    for (int i = 0; i < moments.size(); i++) {
      List<Long> fromCreate = new ArrayList<>();
      List<Long> sincePrevious = new ArrayList<>();
      for (String name : created.keySet()) {
        long t0 = created.get(name);
        long t = moments.get(i).at().applyAsLong(name);
        long prev = i == 0 ? t0 : moments.get(i - 1).at().applyAsLong(name);
        if (t > 0) {
          fromCreate.add((t - t0) / 1_000_000);
          if (prev > 0) {
            sincePrevious.add((t - prev) / 1_000_000);
          }
        }
      }
      fromCreate.sort(null);
      sincePrevious.sort(null);
      out.append(String.format("%-22s %12d %12d %14d %14d%n", moments.get(i).label(),
          PodStartupBench.pct(fromCreate, 50), PodStartupBench.pct(fromCreate, 100),
          PodStartupBench.pct(sincePrevious, 50), PodStartupBench.pct(sincePrevious, 100)));
    }
    Map<String, Integer> calls = new java.util.TreeMap<>();
    for (String name : created.keySet()) {
      TimedRuntime.Marks m = timed.marks(uids.getOrDefault(name, ""));
      if (m != null) {
        m.calls.forEach((op, c) -> calls.merge(op, c, Integer::sum));
      }
    }
    out.append("CRI calls per pod (mean, until all were Ready):");
    calls.forEach((op, c) -> out.append(String.format(" %s=%.1f", op, c / (double) created.size())));
    return out.append('\n').toString();
  }

  private long mark(TimedRuntime timed, String name, Phase p, boolean begin) {
    TimedRuntime.Marks m = timed.marks(uids.getOrDefault(name, ""));
    if (m == null) {
      return -1;
    }
    return begin ? m.begin(p) : m.end(p);
  }
}
