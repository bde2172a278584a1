package dev.skiff.client.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.client.time.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ControllerLoopTest {
  /** A reconciler that records calls and fails a key a set number of times. */
  private static final class RecordingReconciler implements Reconciler {
    final List<String> calls = new ArrayList<>();
    final Map<String, Integer> failuresLeft = new ConcurrentHashMap<>();

    @Override
    public synchronized void reconcile(String key) {
      calls.add(key);
      Integer left = failuresLeft.get(key);
      if (left != null && left > 0) {
        failuresLeft.put(key, left - 1);
        throw new IllegalStateException("simulated failure of " + key);
      }
    }
  }

  private final ManualClock clock = new ManualClock();
  private final WorkQueue<String> queue = new WorkQueue<>("c", RateLimiters.defaultControllerRateLimiter(clock), clock);
  private final RecordingReconciler reconciler = new RecordingReconciler();
  private final ControllerLoop loop = new ControllerLoop("c", queue, reconciler, 2);

  @Test
  void processNextReconcilesOneReadyKey() {
    assertThat(loop.processNext()).isFalse();
    queue.add("ns/a");
    queue.add("ns/b");
    assertThat(loop.processNext()).isTrue();
    assertThat(reconciler.calls).containsExactly("ns/a");
    assertThat(loop.processNext()).isTrue();
    assertThat(loop.processNext()).isFalse();
    assertThat(reconciler.calls).containsExactly("ns/a", "ns/b");
  }

  @Test
  void failureRequeuesWithBackoffAndSuccessForgets() {
    reconciler.failuresLeft.put("k", 2);
    queue.add("k");
    assertThat(loop.processNext()).isTrue(); // fails: requeued after 5 ms
    assertThat(queue.numRequeues("k")).isEqualTo(1);
    assertThat(loop.processNext()).isFalse();
    clock.advance(Duration.ofMillis(5));
    assertThat(loop.processNext()).isTrue(); // fails again: after 10 ms
    clock.advance(Duration.ofMillis(9));
    assertThat(loop.processNext()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(loop.processNext()).isTrue(); // succeeds
    assertThat(queue.numRequeues("k")).isZero();
    assertThat(reconciler.calls).containsExactly("k", "k", "k");
    clock.advance(Duration.ofHours(1));
    assertThat(loop.processNext()).isFalse();
  }

  @Test
  void workersReconcileEveryKeyNeverTwoAtOnceThenStop() {
    Clock real = Clock.systemUTC();
    WorkQueue<String> q = new WorkQueue<>("w", RateLimiters.defaultControllerRateLimiter(real), real);
    Set<String> inFlight = ConcurrentHashMap.newKeySet();
    Set<String> done = ConcurrentHashMap.newKeySet();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger failOnce = new AtomicInteger();
    Reconciler r = key -> {
      if (!inFlight.add(key)) {
        overlaps.incrementAndGet();
      }
      try {
        Thread.sleep(1);
        if (key.equals("k7") && failOnce.getAndIncrement() == 0) {
          throw new IllegalStateException("transient");
        }
        done.add(key);
      } finally {
        inFlight.remove(key);
      }
    };
    try (ControllerLoop workers = new ControllerLoop("w", q, r, 4)) {
      workers.start();
      for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 50; i++) {
          q.add("k" + i);
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> done.size() == 50);
    }
    assertThat(overlaps).hasValue(0);
    assertThat(q.isShuttingDown()).isTrue();
  }

  @Test
  void rejectsZeroWorkersAndStartAfterClose() {
    assertThatThrownBy(() -> new ControllerLoop("x", queue, reconciler, 0))
        .isInstanceOf(IllegalArgumentException.class);
    loop.close();
    assertThatThrownBy(loop::start).isInstanceOf(IllegalStateException.class);
  }
}
