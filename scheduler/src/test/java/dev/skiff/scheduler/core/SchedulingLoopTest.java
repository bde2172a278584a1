package dev.skiff.scheduler.core;

import static dev.skiff.scheduler.TestObjects.labels;
import static dev.skiff.scheduler.TestObjects.node;
import static dev.skiff.scheduler.TestObjects.onNode;
import static dev.skiff.scheduler.TestObjects.pod;
import static dev.skiff.scheduler.TestObjects.taint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Pod;
import dev.skiff.client.time.ManualClock;
import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.BindPlugin;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.Nominator;
import dev.skiff.scheduler.framework.PodInfo;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.framework.plugins.DefaultPlugins;
import dev.skiff.scheduler.framework.plugins.DefaultPreemption;
import dev.skiff.scheduler.queue.SchedulingQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The scheduling loop on a cache fed by hand, with recording fakes for the API side. */
class SchedulingLoopTest {
  private final ManualClock clock = new ManualClock();
  private final SchedulerCache cache = new SchedulerCache(clock, Duration.ofSeconds(30));
  private final Nominator nominator = new Nominator();
  private final RecordingBinder binder = new RecordingBinder();
  private final RecordingReporter reporter = new RecordingReporter();
  private final List<String> evicted = new ArrayList<>();
  private final Map<String, Framework> frameworks = Map.of("default-scheduler", new Framework(
      DefaultPlugins.profile("default-scheduler",
          new DefaultPreemption((v, p, n) -> evicted.add(v.name() + "@" + n), nominator, 100),
          binder)));
  private final SchedulingQueue queue = new SchedulingQueue(clock, Duration.ofSeconds(1),
      Duration.ofSeconds(10), Duration.ofMinutes(5), (p, e) -> frameworks.get("default-scheduler")
          .isWorthRequeuing(p.rejectingPlugins(), p.pod(), e));
  private final SchedulingAlgorithm algorithm =
      new SchedulingAlgorithm(2, 0, new Random(1), nominator);
  private final SchedulingLoop loop = new SchedulingLoop(queue, cache, frameworks, algorithm,
      nominator, reporter, Runnable::run, 16);
  private final ClusterEventRouter router = new ClusterEventRouter(cache, queue, nominator,
      PriorityResolver.specOnly(), java.util.Set.of("default-scheduler"));

  @AfterEach
  void close() {
    algorithm.close();
  }

  static final class RecordingBinder implements BindPlugin {
    final Map<String, String> bound = new ConcurrentHashMap<>();
    volatile boolean fail;

    @Override
    public String name() {
      return "RecordingBinder";
    }

    @Override
    public Status bind(CycleState state, PodInfo pod, String nodeName) {
      if (fail) {
        return Status.error("FAILED_PRECONDITION: injected");
      }
      bound.put(pod.name(), nodeName);
      return Status.success();
    }
  }

  static final class RecordingReporter implements SchedulingReporter {
    final List<String> messages = new ArrayList<>();
    final Map<String, String> nominated = new ConcurrentHashMap<>();

    @Override
    public void scheduled(PodInfo pod, String nodeName) {}

    @Override
    public synchronized void unschedulable(PodInfo pod, String message, String nominatedNode) {
      messages.add(pod.name() + ": " + message);
      if (!nominatedNode.isEmpty()) {
        nominated.put(pod.name(), nominatedNode);
      }
    }

    @Override
    public synchronized void error(PodInfo pod, String message) {
      messages.add(pod.name() + " error: " + message);
    }
  }

  private void runAll() throws InterruptedException {
    while (loop.scheduleNext()) {
      // one pod per step
    }
  }

  @Test
  void assumedPodsDoNotDoubleBookANode() throws Exception {
    router.onNodeAdd(node("small", "1", "4Gi").build());
    router.onNodeAdd(node("big", "2", "4Gi").build());
    for (int i = 0; i < 3; i++) {
      router.onPodAdd(pod("p" + i, "1", "1Gi").build());
    }
    runAll();
    assertThat(binder.bound).hasSize(3);
    assertThat(binder.bound.values()).containsExactlyInAnyOrder("small", "big", "big");
  }

  @Test
  void unschedulableMessageCountsReasonsLikeKubernetes() throws Exception {
    for (int i = 0; i < 3; i++) {
      router.onNodeAdd(node("small" + i, "1", "4Gi").build());
    }
    router.onNodeAdd(taint(node("gpu0", "8", "4Gi"), "dedicated", "gpu", "NoSchedule").build());
    router.onNodeAdd(taint(node("gpu1", "8", "4Gi"), "dedicated", "gpu", "NoSchedule").build());
    router.onPodAdd(pod("big", "2", "1Gi").build());
    runAll();
    assertThat(reporter.messages).containsExactly("big: 0/5 nodes are available: "
        + "2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu. "
        + "preemption: 0/5 nodes are available: 2 Preemption is not helpful for scheduling, "
        + "3 No preemption victims found for incoming pod.");
    assertThat(queue.sizes().unschedulable()).isEqualTo(1);
    // A bigger node arrives: the pod is retried after its backoff and fits.
    router.onNodeAdd(node("large", "4", "4Gi").build());
    clock.advance(Duration.ofSeconds(1));
    queue.flush();
    runAll();
    assertThat(binder.bound).containsEntry("big", "large");
  }

  @Test
  void taintRemovalRequeuesButUnrelatedPodEventsDoNot() throws Exception {
    var tainted = taint(labels(node("n1", "4", "4Gi"), "k", "v"), "dedicated", "gpu", "NoSchedule");
    router.onNodeAdd(tainted.build());
    router.onPodAdd(pod("p", "1", "1Gi").build());
    runAll();
    assertThat(queue.sizes().unschedulable()).isEqualTo(1);
    router.onPodDelete(onNode(pod("other", "1", "1Gi"), "n1").build());
    assertThat(queue.sizes().unschedulable()).isEqualTo(1);
    var untainted = labels(node("n1", "4", "4Gi"), "k", "v").build();
    router.onNodeUpdate(tainted.build(), untainted);
    assertThat(queue.sizes().unschedulable()).isZero();
  }

  @Test
  void failedBindForgetsTheAssumptionAndBacksOff() throws Exception {
    router.onNodeAdd(node("n1", "1", "4Gi").build());
    router.onPodAdd(pod("p", "1", "1Gi").build());
    binder.fail = true;
    runAll();
    assertThat(reporter.messages).singleElement().asString().contains("p error: Binding rejected");
    assertThat(cache.isAssumed("default/p")).isFalse();
    assertThat(queue.sizes().backoff()).isEqualTo(1);
    binder.fail = false;
    clock.advance(Duration.ofSeconds(1));
    queue.flush();
    runAll();
    assertThat(binder.bound).containsEntry("p", "n1");
  }

  @Test
  void higherPriorityPodPreemptsTheFewestLowestVictimsOnOneNode() throws Exception {
    router.onNodeAdd(node("a", "2", "4Gi").build());
    router.onNodeAdd(node("b", "2", "4Gi").build());
    router.onPodAdd(prio(onNode(pod("a-low", "1", "1Gi"), "a"), 1).build());
    router.onPodAdd(prio(onNode(pod("a-mid", "1", "1Gi"), "a"), 5).build());
    router.onPodAdd(prio(onNode(pod("b-mid1", "1", "1Gi"), "b"), 5).build());
    router.onPodAdd(prio(onNode(pod("b-mid2", "1", "1Gi"), "b"), 5).build());
    router.onPodAdd(prio(pod("urgent", "1", "1Gi"), 10).build());
    runAll();
    assertThat(evicted).containsExactly("a-low@a");
    assertThat(reporter.nominated).containsEntry("urgent", "a");
    // While the victim terminates, a lower-priority pod must not take the room.
    router.onPodAdd(prio(pod("sneaky", "1", "1Gi"), 0).build());
    runAll();
    assertThat(binder.bound).doesNotContainKey("sneaky");
    router.onPodDelete(prio(onNode(pod("a-low", "1", "1Gi"), "a"), 1).build());
    clock.advance(Duration.ofSeconds(1));
    queue.flush();
    runAll();
    assertThat(binder.bound).containsEntry("urgent", "a");
  }

  @Test
  void equalPriorityDoesNotPreempt() throws Exception {
    router.onNodeAdd(node("a", "1", "4Gi").build());
    router.onPodAdd(prio(onNode(pod("x", "1", "1Gi"), "a"), 5).build());
    router.onPodAdd(prio(pod("p", "1", "1Gi"), 5).build());
    runAll();
    assertThat(evicted).isEmpty();
    assertThat(reporter.nominated).isEmpty();
  }

  @Test
  void podsOfOtherSchedulersAreIgnored() throws Exception {
    router.onNodeAdd(node("a", "1", "4Gi").build());
    Pod.Builder p = pod("mine-not", "100m", "1Mi");
    p.getSpecBuilder().setSchedulerName("other-scheduler");
    router.onPodAdd(p.build());
    runAll();
    assertThat(binder.bound).isEmpty();
    assertThat(loop.attemptCount()).isZero();
  }

  private static Pod.Builder prio(Pod.Builder p, int priority) {
    p.getSpecBuilder().setPriority(priority);
    return p;
  }
}
