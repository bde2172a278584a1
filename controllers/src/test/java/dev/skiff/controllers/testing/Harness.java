package dev.skiff.controllers.testing;

import static org.awaitility.Awaitility.await;

import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.events.EventRecorder;
import dev.skiff.client.informer.InformerFactory;
import dev.skiff.client.time.ManualClock;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.ControllerManagerConfig;
import dev.skiff.controllers.WorkLoop;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A real in-process cluster (store + apiserver over in-process gRPC) and a {@link ControllerContext}
 * on it with a {@link ManualClock}, for stepping controllers: build controllers on {@link #ctx()},
 * call {@link #startInformers()}, then {@link #settle} their loops.
 */
public final class Harness implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration ROUND = Duration.ofMillis(10);

  private final InProcessCluster cluster;
  private final SkiffClient client;
  private final ManualClock clock = new ManualClock(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  private final InformerFactory informers;
  private final EventRecorder recorder;
  private final ControllerContext ctx;
  private final Fixtures objects;

  private Harness(InProcessCluster cluster, ControllerManagerConfig config) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.informers = new InformerFactory(client, Duration.ZERO);
    this.recorder = new EventRecorder(client, "controller-manager", "test", clock);
    this.ctx = new ControllerContext(client, informers, recorder, clock, config);
    this.objects = new Fixtures(client, clock);
    objects.namespace("default"); // where events about cluster-scoped objects go
  }

  public static Harness start() {
    return start(testConfig());
  }

  public static Harness start(ControllerManagerConfig config) {
    return new Harness(InProcessCluster.start(), config);
  }

  /** Defaults with one worker per loop and no leader election. */
  public static ControllerManagerConfig testConfig() {
    return ControllerManagerConfig.defaults().withLeaderElection(false, "test", Duration.ofSeconds(15),
        Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  public ControllerContext ctx() {
    return ctx;
  }

  public SkiffClient client() {
    return client;
  }

  public ManualClock clock() {
    return clock;
  }

  public Fixtures objects() {
    return objects;
  }

  public InProcessCluster cluster() {
    return cluster;
  }

  public void startInformers() {
    informers.start();
    if (!informers.waitForSync(WAIT)) {
      throw new AssertionError("informers did not sync");
    }
  }

  /**
   * Steps {@code loops} on this thread until {@code done} holds (awaited, up to 15 s). Each round
   * moves the manual clock 10 ms, so retries after a failed sync (rate-limited on this clock) come
   * due as they would in real time.
   */
  public void settle(BooleanSupplier done, WorkLoop... loops) {
    settle(done, () -> {}, List.of(loops));
  }

  /** Steps {@code loops} until {@code done} holds, running {@code between} after each round. */
  public void settle(BooleanSupplier done, Runnable between, List<WorkLoop> loops) {
    await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
      clock.advance(ROUND);
      for (WorkLoop l : loops) {
        l.drain();
      }
      between.run();
      return done.getAsBoolean();
    });
  }

  @Override
  public void close() {
    informers.close();
    recorder.close();
    cluster.close();
  }
}
