package dev.skiff.scheduler.queue;

import static dev.skiff.scheduler.TestObjects.node;
import static dev.skiff.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Pod;
import dev.skiff.client.time.ManualClock;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.PodInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
  private final ManualClock clock = new ManualClock();
  /** Pods rejected by "NodeResourcesFit" move on node events only. */
  private final SchedulingQueue queue = new SchedulingQueue(clock, Duration.ofSeconds(1),
      Duration.ofSeconds(10), Duration.ofMinutes(5),
      (p, e) -> !p.rejectingPlugins().contains("NodeResourcesFit")
          || e.type() == ClusterEvent.Type.NODE_ADD);

  private static PodInfo info(String name, int priority) {
    Pod.Builder p = pod(name, null, null);
    p.getSpecBuilder().setPriority(priority);
    return PodInfo.of(p.build());
  }

  private List<String> drain() {
    List<String> out = new ArrayList<>();
    Optional<QueuedPodInfo> p;
    while ((p = queue.poll()).isPresent()) {
      out.add(p.get().pod().name());
    }
    return out;
  }

  @Test
  void activeIsOrderedByPriorityThenAge() {
    queue.add(info("low-old", 0));
    clock.advance(Duration.ofMillis(1));
    queue.add(info("high", 100));
    clock.advance(Duration.ofMillis(1));
    queue.add(info("low-new", 0));
    assertThat(drain()).containsExactly("high", "low-old", "low-new");
  }

  @Test
  void backoffDoublesUpToTheMaximum() {
    assertThat(queue.backoffDuration(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(queue.backoffDuration(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(queue.backoffDuration(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(queue.backoffDuration(5)).isEqualTo(Duration.ofSeconds(10));
    assertThat(queue.backoffDuration(50)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void erroredPodWaitsOutItsBackoff() {
    queue.add(info("p", 0));
    QueuedPodInfo p = queue.poll().orElseThrow();
    queue.addBackoff(p);
    queue.flush();
    assertThat(queue.poll()).isEmpty();
    clock.advance(Duration.ofMillis(999));
    queue.flush();
    assertThat(queue.poll()).isEmpty();
    clock.advance(Duration.ofMillis(1));
    queue.flush();
    QueuedPodInfo again = queue.poll().orElseThrow();
    assertThat(again.attempts()).isEqualTo(2);
    queue.addBackoff(again);
    clock.advance(Duration.ofMillis(1999));
    queue.flush();
    assertThat(queue.poll()).isEmpty();
    clock.advance(Duration.ofMillis(1));
    queue.flush();
    assertThat(queue.poll()).isPresent();
  }

  @Test
  void unschedulablePodMovesOnlyOnARelevantEvent() {
    queue.add(info("p", 0));
    QueuedPodInfo p = queue.poll().orElseThrow();
    queue.addUnschedulable(p, Set.of("NodeResourcesFit"));
    assertThat(queue.sizes().unschedulable()).isEqualTo(1);
    queue.onEvent(ClusterEvent.podDelete(pod("other", null, null).build()));
    assertThat(queue.sizes().unschedulable()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(5));
    queue.onEvent(ClusterEvent.nodeAdd(node("n", "1", "1Gi").build()));
    assertThat(queue.sizes().unschedulable()).isZero();
    assertThat(drain()).containsExactly("p");
  }

  @Test
  void eventMovesARecentFailureToBackoffFirst() {
    queue.add(info("p", 0));
    queue.addUnschedulable(queue.poll().orElseThrow(), Set.of("NodeResourcesFit"));
    queue.onEvent(ClusterEvent.nodeAdd(node("n", "1", "1Gi").build()));
    assertThat(queue.sizes().backoff()).isEqualTo(1);
    assertThat(queue.poll()).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    queue.flush();
    assertThat(drain()).containsExactly("p");
  }

  @Test
  void eventWhileInFlightSendsThePodToBackoffNotUnschedulable() {
    queue.add(info("p", 0));
    QueuedPodInfo p = queue.poll().orElseThrow();
    queue.onEvent(ClusterEvent.nodeAdd(node("n", "1", "1Gi").build()));
    queue.addUnschedulable(p, Set.of("NodeResourcesFit"));
    assertThat(queue.sizes().unschedulable()).isZero();
    assertThat(queue.sizes().backoff()).isEqualTo(1);
  }

  @Test
  void irrelevantEventWhileInFlightLeavesThePodUnschedulable() {
    queue.add(info("p", 0));
    QueuedPodInfo p = queue.poll().orElseThrow();
    queue.onEvent(ClusterEvent.podAdd(pod("x", null, null).build()));
    queue.addUnschedulable(p, Set.of("NodeResourcesFit"));
    assertThat(queue.sizes().unschedulable()).isEqualTo(1);
  }

  @Test
  void unschedulablePodsAreRetriedAfterTheMaximumWait() {
    queue.add(info("p", 0));
    queue.addUnschedulable(queue.poll().orElseThrow(), Set.of("NodeResourcesFit"));
    clock.advance(Duration.ofMinutes(5));
    queue.flush();
    assertThat(drain()).containsExactly("p");
  }

  @Test
  void deletedInFlightPodIsNotRequeued() {
    queue.add(info("p", 0));
    QueuedPodInfo p = queue.poll().orElseThrow();
    queue.delete(p.key());
    queue.addUnschedulable(p, Set.of());
    queue.addBackoff(p);
    assertThat(queue.sizes()).isEqualTo(new SchedulingQueue.QueueSizes(0, 0, 0));
  }

  @Test
  void updateReplacesAQueuedPodAndRetriesAnUnschedulableOne() {
    queue.add(info("a", 0));
    queue.add(info("a", 5));
    assertThat(queue.sizes().active()).isEqualTo(1);
    QueuedPodInfo a = queue.poll().orElseThrow();
    assertThat(a.pod().priority()).isEqualTo(5);
    queue.addUnschedulable(a, Set.of("NodeResourcesFit"));
    queue.update(info("a", 5), false);
    assertThat(queue.sizes().unschedulable()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(2));
    queue.update(info("a", 5), true);
    assertThat(drain()).containsExactly("a");
  }

  @Test
  void specChangeWhileInFlightRetriesTheNewerPodInsteadOfParkingTheOldOne() {
    queue.add(info("p", 0));
    QueuedPodInfo p = queue.poll().orElseThrow();
    queue.update(info("p", 7), true); // e.g. its nodeSelector was relaxed during the cycle
    queue.addUnschedulable(p, Set.of("NodeResourcesFit"));
    assertThat(queue.sizes().unschedulable()).isZero();
    assertThat(queue.sizes().backoff()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    queue.flush();
    assertThat(queue.poll()).hasValueSatisfying(q -> assertThat(q.pod().priority()).isEqualTo(7));
  }

  @Test
  void popBlocksUntilAPodArrives() throws Exception {
    Thread t = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
      queue.add(info("late", 0));
    });
    assertThat(queue.pop().pod().name()).isEqualTo("late");
    t.join();
    queue.close();
    assertThat(queue.pop()).isNull();
  }
}
