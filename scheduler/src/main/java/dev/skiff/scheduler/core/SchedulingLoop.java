package dev.skiff.scheduler.core;

import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.Nominator;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.PostFilterResult;
import dev.skiff.scheduler.framework.Snapshot;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.queue.QueuedPodInfo;
import dev.skiff.scheduler.queue.SchedulingQueue;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduling cycle and the binding cycle of one pod at a time (Kubernetes' scheduleOne).
 *
 * <p>Scheduling cycle, on the scheduling thread: refresh the snapshot from the cache, run the
 * algorithm, on failure run PostFilter (preemption) and park the pod as unschedulable; on
 * success assume the pod in the cache and Reserve. Binding cycle, on a binding thread from
 * {@code bindExecutor}: Bind through the API server; on failure forget the assumption, Unreserve
 * and requeue with backoff. At most {@code maxBindsInFlight} binds run at once; the scheduling
 * thread waits for a slot (back-pressure on a slow API server).
 */
public final class SchedulingLoop {
  private static final Logger log = LoggerFactory.getLogger(SchedulingLoop.class);

  private final SchedulingQueue queue;
  private final SchedulerCache cache;
  private final Map<String, Framework> frameworks;
  private final SchedulingAlgorithm algorithm;
  private final Nominator nominator;
  private final SchedulingReporter reporter;
  private final Executor bindExecutor;
  private final Semaphore bindSlots;
  private final int maxBindsInFlight;
  /** Owned by the scheduling thread. */
  private final Snapshot snapshot = new Snapshot();
  private final AtomicLong bound = new AtomicLong();
  private final AtomicLong attempts = new AtomicLong();
  private final AtomicLong unschedulable = new AtomicLong();

  public SchedulingLoop(SchedulingQueue queue, SchedulerCache cache,
      Map<String, Framework> frameworks, SchedulingAlgorithm algorithm, Nominator nominator,
      SchedulingReporter reporter, Executor bindExecutor, int maxBindsInFlight) {
    this.queue = queue;
    this.cache = cache;
    this.frameworks = Map.copyOf(frameworks);
    this.algorithm = algorithm;
    this.nominator = nominator;
    this.reporter = reporter;
    this.bindExecutor = bindExecutor;
    this.maxBindsInFlight = maxBindsInFlight;
    this.bindSlots = new Semaphore(maxBindsInFlight);
  }

  /** Runs cycles until the queue closes or the thread is interrupted. */
  public void run() {
    try {
      QueuedPodInfo next;
      while ((next = queue.pop()) != null) {
        scheduleOne(next);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Steppable: schedules the next active pod if there is one. */
  public boolean scheduleNext() throws InterruptedException {
    Optional<QueuedPodInfo> next = queue.poll();
    if (next.isEmpty()) {
      return false;
    }
    scheduleOne(next.get());
    return true;
  }

  void scheduleOne(QueuedPodInfo queued) throws InterruptedException {
    PodInfo pod = queued.pod();
    String schedulerName = pod.pod().getSpec().getSchedulerName();
    Framework fw = frameworks.get(schedulerName.isEmpty() ? "default-scheduler" : schedulerName);
    if (fw == null || pod.pod().getMetadata().hasDeletionTimestamp()) {
      queue.done(pod.key());
      return;
    }
    attempts.incrementAndGet();
    cache.updateSnapshot(snapshot);
    CycleState state = new CycleState();
    ScheduleResult result;
    try {
      result = algorithm.schedule(fw, state, pod, snapshot);
    } catch (RuntimeException e) {
      log.warn("scheduling pod {} failed: {}", pod.key(), e.toString());
      result = new ScheduleResult(null, null, Status.error(e.toString()), 0, 0);
    }
    if (result.error() != null) {
      reporter.error(pod, result.error().message());
      queue.addBackoff(queued);
      return;
    }
    if (!result.scheduled()) {
      handleUnschedulable(fw, state, queued, result);
      return;
    }
    String node = result.node();
    PodInfo assumed = pod.withNodeName(node);
    cache.assume(assumed);
    Status reserved = fw.runReserve(state, assumed, node);
    if (!reserved.isSuccess()) {
      cache.forget(pod.key());
      reporter.error(pod, reserved.message());
      queue.addBackoff(queued);
      return;
    }
    bindSlots.acquire();
    try {
      bindExecutor.execute(() -> bind(fw, state, queued, assumed, node));
    } catch (RuntimeException rejected) {
      bindSlots.release();
      cache.forget(pod.key());
      queue.addBackoff(queued);
    }
  }

  private void handleUnschedulable(Framework fw, CycleState state, QueuedPodInfo queued,
      ScheduleResult result) {
    PodInfo pod = queued.pod();
    String nominated = "";
    if (fw.hasPostFilters() && result.diagnosis().totalNodes() > 0) {
      PostFilterResult pf = fw.runPostFilter(state, pod, snapshot, result.diagnosis());
      if (pf.status().isSuccess()) {
        nominated = pf.nominatedNode();
        nominator.nominate(pod, nominated);
      } else if (!pf.status().reasons().isEmpty()) {
        result.diagnosis().postFilterMessage(pf.status().message());
      }
    }
    unschedulable.incrementAndGet();
    String message = result.diagnosis().message();
    log.debug("pod {} unschedulable: {}", pod.key(), message);
    reporter.unschedulable(pod, message, nominated);
    queue.addUnschedulable(queued, result.diagnosis().rejectingPlugins());
  }

  private void bind(Framework fw, CycleState state, QueuedPodInfo queued, PodInfo assumed,
      String node) {
    try {
      Status s;
      try {
        s = fw.runBind(state, assumed, node);
      } catch (RuntimeException e) {
        s = Status.error(e.toString());
      }
      if (s.isSuccess()) {
        cache.finishBinding(assumed.key());
        nominator.remove(assumed.key());
        queue.done(assumed.key());
        bound.incrementAndGet();
        reporter.scheduled(assumed, node);
      } else {
        log.info("binding pod {} to {} failed: {}", assumed.key(), node, s.message());
        cache.forget(assumed.key());
        fw.runUnreserve(state, assumed, node);
        reporter.error(queued.pod(), "Binding rejected: " + s.message());
        queue.addBackoff(queued);
      }
    } finally {
      bindSlots.release();
    }
  }

  /** Binds running now. */
  public int bindsInFlight() {
    return maxBindsInFlight - bindSlots.availablePermits();
  }

  public long boundCount() {
    return bound.get();
  }

  public long attemptCount() {
    return attempts.get();
  }

  public long unschedulableCount() {
    return unschedulable.get();
  }
}
