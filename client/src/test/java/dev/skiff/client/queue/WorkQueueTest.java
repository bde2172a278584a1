package dev.skiff.client.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.client.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private final ManualClock clock = new ManualClock();
  private final WorkQueue<String> queue =
      new WorkQueue<>("test", RateLimiters.exponential(Duration.ofMillis(5), Duration.ofSeconds(10)), clock);

  @Test
  void deduplicatesQueuedKeysAndKeepsOrder() {
    queue.add("a");
    queue.add("b");
    queue.add("a");
    assertThat(queue.length()).isEqualTo(2);
    assertThat(queue.poll()).contains("a");
    assertThat(queue.poll()).contains("b");
    assertThat(queue.poll()).isEmpty();
  }

  @Test
  void keyBeingProcessedIsNotHandedOutAgainUntilDone() {
    queue.add("a");
    assertThat(queue.poll()).contains("a");
    queue.add("a");
    queue.add("a");
    assertThat(queue.poll()).as("a is held by a worker").isEmpty();
    assertThat(queue.length()).isZero();
    queue.done("a");
    assertThat(queue.poll()).as("dirty a is queued again, once").contains("a");
    queue.done("a");
    assertThat(queue.poll()).isEmpty();
  }

  @Test
  void doneWithoutReAddDoesNotRequeue() {
    queue.add("a");
    queue.poll();
    queue.done("a");
    assertThat(queue.length()).isZero();
  }

  @Test
  void addAfterWaitsForTheClock() {
    queue.addAfter("a", Duration.ofSeconds(1));
    assertThat(queue.poll()).isEmpty();
    clock.advance(Duration.ofMillis(999));
    assertThat(queue.poll()).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(queue.poll()).contains("a");
  }

  @Test
  void earliestAddAfterWinsAndStaleEntriesDoNotRequeue() {
    queue.addAfter("a", Duration.ofSeconds(5));
    queue.addAfter("a", Duration.ofSeconds(1));
    queue.addAfter("a", Duration.ofSeconds(3));
    clock.advance(Duration.ofSeconds(1));
    assertThat(queue.poll()).contains("a");
    queue.done("a");
    clock.advance(Duration.ofSeconds(10));
    assertThat(queue.poll()).as("the 5 s and 3 s entries were superseded").isEmpty();
  }

  @Test
  void addAfterOfAQueuedKeyDoesNotDuplicateIt() {
    queue.add("a");
    queue.addAfter("a", Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(queue.length()).isEqualTo(1);
  }

  @Test
  void addRateLimitedBacksOffPerKeyUntilForgotten() {
    queue.addRateLimited("a");
    assertThat(queue.poll()).isEmpty();
    clock.advance(Duration.ofMillis(5));
    assertThat(queue.poll()).contains("a");
    queue.done("a");
    queue.addRateLimited("a");
    clock.advance(Duration.ofMillis(9));
    assertThat(queue.poll()).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(queue.poll()).contains("a");
    assertThat(queue.numRequeues("a")).isEqualTo(2);
    queue.forget("a");
    assertThat(queue.numRequeues("a")).isZero();
  }

  @Test
  void shutDownDrainsThenReturnsNullAndIgnoresAdds() throws Exception {
    queue.add("a");
    queue.addAfter("late", Duration.ofSeconds(1));
    queue.shutDown();
    queue.add("b");
    assertThat(queue.take()).isEqualTo("a");
    clock.advance(Duration.ofSeconds(2));
    assertThat(queue.take()).isNull();
    assertThat(queue.isShuttingDown()).isTrue();
  }

  @Test
  void takeBlocksUntilAKeyIsAddedOrShutDown() throws Exception {
    CompletableFuture<String> taken = CompletableFuture.supplyAsync(this::takeUnchecked, virtual());
    assertThat(taken).isNotDone();
    queue.add("x");
    assertThat(taken.get(5, TimeUnit.SECONDS)).isEqualTo("x");

    CompletableFuture<String> second = CompletableFuture.supplyAsync(this::takeUnchecked, virtual());
    queue.shutDown();
    assertThat(second.get(5, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void blockedTakeNoticesAManualClockAdvance() throws Exception {
    queue.addAfter("a", Duration.ofMinutes(1));
    CompletableFuture<String> taken = CompletableFuture.supplyAsync(this::takeUnchecked, virtual());
    clock.advance(Duration.ofMinutes(1));
    assertThat(taken.get(5, TimeUnit.SECONDS)).isEqualTo("a");
  }

  @Test
  void blockedTakeWakesForAnEarlierDelayedKeyOnTheSystemClock() throws Exception {
    var real = new WorkQueue<String>("real", RateLimiters.defaultControllerRateLimiter(), java.time.Clock.systemUTC());
    long start = System.nanoTime();
    real.addAfter("a", Duration.ofMillis(150));
    assertThat(real.take()).isEqualTo("a");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
  }

  @Test
  void concurrentWorkersNeverShareAKey() throws Exception {
    WorkQueue<String> q = new WorkQueue<>("conc", RateLimiters.defaultControllerRateLimiter(), java.time.Clock.systemUTC());
    Set<String> inFlight = ConcurrentHashMap.newKeySet();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger processed = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      workers.add(Thread.ofVirtual().start(() -> {
        try {
          String key;
          while ((key = q.take()) != null) {
            if (!inFlight.add(key)) {
              overlaps.incrementAndGet();
            }
            Thread.sleep(0, 200_000);
            inFlight.remove(key);
            processed.incrementAndGet();
            q.done(key);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    for (int i = 0; i < 5000; i++) {
      q.add("k" + (i % 10));
    }
    q.shutDown();
    for (Thread t : workers) {
      assertThat(t.join(Duration.ofSeconds(20))).isTrue();
    }
    assertThat(overlaps).hasValue(0);
    assertThat(processed.get()).isBetween(10, 5000);
    assertThat(q.length()).isZero();
  }

  private String takeUnchecked() {
    try {
      return queue.take();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static java.util.concurrent.Executor virtual() {
    return r -> Thread.ofVirtual().start(r);
  }

}
