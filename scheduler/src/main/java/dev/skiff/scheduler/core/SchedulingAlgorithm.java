package dev.skiff.scheduler.core;

import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Diagnosis;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.NodeInfo;
import dev.skiff.scheduler.framework.Nominator;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PreFilterResult;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Finds a node for one pod: PreFilter, Filter over the nodes in parallel until enough feasible
 * nodes are found (Kubernetes' percentageOfNodesToScore), then Score and pick the best (ties at
 * random). Stateless between calls except the rotating start index, so every node gets its turn.
 *
 * <p>Threads: {@link #schedule} is called by the scheduling thread only; it works through the
 * nodes together with {@code parallelism - 1} filter threads owned by this object (started
 * lazily, stopped by {@link #close}).
 */
public final class SchedulingAlgorithm implements AutoCloseable {
  static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
  static final int MIN_FEASIBLE_NODES_PERCENTAGE = 5;
  private static final int CHUNK = 32;

  private final int parallelism;
  private final int percentageOfNodesToScore;
  private final RandomGenerator random;
  private final Nominator nominator;
  private ExecutorService workers;
  private int nextStartIndex;

  /**
   * @param percentageOfNodesToScore 1..100, or 0 for Kubernetes' adaptive default (50% at 100
   *     nodes falling to 5% at 5625 nodes)
   */
  public SchedulingAlgorithm(int parallelism, int percentageOfNodesToScore, RandomGenerator random,
      Nominator nominator) {
    this.parallelism = Math.max(1, parallelism);
    this.percentageOfNodesToScore = percentageOfNodesToScore;
    this.random = random;
    this.nominator = nominator;
  }

  public ScheduleResult schedule(Framework fw, CycleState state, PodInfo pod, Snapshot snapshot) {
    int total = snapshot.size();
    if (total == 0) {
      Diagnosis d = new Diagnosis(0);
      return new ScheduleResult(null, d, null, 0, 0);
    }
    PreFilterResult pre = fw.runPreFilter(state, pod, snapshot);
    if (pre.status().code() == Status.Code.ERROR) {
      return new ScheduleResult(null, null, pre.status(), 0, 0);
    }
    if (!pre.status().isSuccess()) {
      Diagnosis d = new Diagnosis(total);
      d.rejectAll(pre.status());
      return new ScheduleResult(null, d, null, 0, 0);
    }
    List<NodeInfo> feasible;
    int[] feasibleIndices;
    Diagnosis diagnosis = new Diagnosis(total);
    int evaluated;
    if (pre.nodeNames() != null) {
      feasible = new ArrayList<>();
      feasibleIndices = new int[total];
      for (int i = 0; i < total; i++) {
        NodeInfo n = snapshot.get(i);
        if (!pre.nodeNames().contains(n.name())) {
          diagnosis.reject(n.name(), Status.unresolvable("node(s) didn't satisfy plugin(s) PreFilter restrictions"));
          continue;
        }
        Status s = filter(fw, state, pod, snapshot, i);
        if (s.code() == Status.Code.ERROR) {
          return new ScheduleResult(null, null, s, i + 1, feasible.size());
        }
        if (s.isSuccess()) {
          feasibleIndices[feasible.size()] = i;
          feasible.add(n);
        } else {
          diagnosis.reject(n.name(), s);
        }
      }
      evaluated = total;
    } else {
      FilterPass pass = filterAll(fw, state, pod, snapshot, numFeasibleNodesToFind(total));
      if (pass.error != null) {
        return new ScheduleResult(null, null, pass.error, pass.processed, 0);
      }
      feasible = pass.feasible;
      feasibleIndices = pass.foundIndices;
      evaluated = pass.processed;
      for (int i = 0; i < pass.statuses.length; i++) {
        if (pass.statuses[i] != null) {
          diagnosis.reject(snapshot.get(i).name(), pass.statuses[i]);
        }
      }
    }
    if (feasible.isEmpty()) {
      return new ScheduleResult(null, diagnosis, null, evaluated, 0);
    }
    if (feasible.size() == 1) {
      return new ScheduleResult(feasible.get(0).name(), diagnosis, null, evaluated, 1);
    }
    long[] scores = fw.runScore(state, pod, feasible, feasibleIndices, snapshot);
    return new ScheduleResult(selectHost(feasible, scores), diagnosis, null, evaluated,
        feasible.size());
  }

  /** How many feasible nodes are enough to stop filtering (and score only those). */
  int numFeasibleNodesToFind(int total) {
    if (total < MIN_FEASIBLE_NODES_TO_FIND || percentageOfNodesToScore >= 100) {
      return total;
    }
    int pct = percentageOfNodesToScore;
    if (pct <= 0) {
      pct = Math.max(MIN_FEASIBLE_NODES_PERCENTAGE, 50 - total / 125);
    }
    return Math.max(MIN_FEASIBLE_NODES_TO_FIND, (int) ((long) total * pct / 100));
  }

  /**
   * Filters node {@code i} of the snapshot, with the pods nominated to the node added when they
   * outrank this pod.
   */
  private Status filter(Framework fw, CycleState state, PodInfo pod, Snapshot snapshot, int i) {
    if (!nominator.isEmpty()) {
      NodeInfo node = snapshot.get(i);
      List<PodInfo> nominated = nominator.nominatedFor(node.name(), pod.key(), pod.priority());
      if (!nominated.isEmpty()) {
        NodeInfo with = node;
        for (PodInfo p : nominated) {
          with = with.withPod(p.withNodeName(node.name()));
        }
        Status s = fw.runFilters(state, pod, with);
        if (!s.isSuccess()) {
          return s;
        }
      }
    }
    return fw.runFilters(state, pod, snapshot, i);
  }

  private final class FilterPass {
    final Status[] statuses;
    final NodeInfo[] found;
    final int[] foundIndices;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger feasibleCount = new AtomicInteger();
    final AtomicInteger processedCount = new AtomicInteger();
    volatile Status error;
    List<NodeInfo> feasible;
    int processed;

    FilterPass(int total, int want) {
      statuses = new Status[total];
      found = new NodeInfo[want];
      foundIndices = new int[want];
    }

    void work(Framework fw, CycleState state, PodInfo pod, Snapshot snapshot, int start) {
      int total = statuses.length;
      int want = found.length;
      int chunk;
      while ((chunk = next.getAndAdd(CHUNK)) < total) {
        int end = Math.min(total, chunk + CHUNK);
        for (int i = chunk; i < end; i++) {
          if (feasibleCount.get() >= want || error != null) {
            return;
          }
          int idx = (start + i) % total;
          Status s = filter(fw, state, pod, snapshot, idx);
          processedCount.incrementAndGet();
          if (s.isSuccess()) {
            int slot = feasibleCount.getAndIncrement();
            if (slot < want) {
              found[slot] = snapshot.get(idx);
              foundIndices[slot] = idx;
            }
          } else if (s.code() == Status.Code.ERROR) {
            error = s;
          } else {
            statuses[idx] = s;
          }
        }
      }
    }
  }

  private FilterPass filterAll(Framework fw, CycleState state, PodInfo pod, Snapshot snapshot,
      int want) {
    int total = snapshot.size();
    FilterPass pass = new FilterPass(total, want);
    int start = nextStartIndex % total;
    int helpers = Math.min(parallelism - 1, (total - 1) / CHUNK);
    if (helpers > 0) {
      CountDownLatch latch = new CountDownLatch(helpers);
      ExecutorService pool = workers();
      for (int h = 0; h < helpers; h++) {
        pool.execute(() -> {
          try {
            pass.work(fw, state, pod, snapshot, start);
          } finally {
            latch.countDown();
          }
        });
      }
      pass.work(fw, state, pod, snapshot, start);
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        pass.error = Status.error("interrupted while filtering");
      }
    } else {
      pass.work(fw, state, pod, snapshot, start);
    }
    pass.processed = pass.processedCount.get();
    int count = Math.min(want, pass.feasibleCount.get());
    pass.feasible = Arrays.asList(Arrays.copyOf(pass.found, count));
    nextStartIndex = (start + pass.processed) % total;
    return pass;
  }

  private ExecutorService workers() {
    if (workers == null) {
      AtomicInteger n = new AtomicInteger();
      workers = Executors.newFixedThreadPool(parallelism - 1, r -> {
        Thread t = new Thread(r, "scheduler-filter-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    }
    return workers;
  }

  private String selectHost(List<NodeInfo> nodes, long[] scores) {
    int best = 0;
    int ties = 1;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
        ties = 1;
      } else if (scores[i] == scores[best] && random.nextInt(++ties) == 0) {
        best = i;
      }
    }
    return nodes.get(best).name();
  }

  @Override
  public void close() {
    if (workers != null) {
      workers.shutdownNow();
    }
  }
}
