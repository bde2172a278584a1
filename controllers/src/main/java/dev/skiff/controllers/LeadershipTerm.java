package dev.skiff.controllers;

import dev.skiff.client.SkiffClient;
import dev.skiff.client.events.EventRecorder;
import dev.skiff.client.informer.InformerFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controllers of one leadership term, built fresh each time this instance becomes leader:
 * new informers, new work queues, new expectations — nothing is carried over from an earlier
 * term, so a new leader trusts only what it lists from the apiserver. Workers start only after
 * every informer has synced, so no controller acts on a partial view (which is how a failover
 * could otherwise create duplicate pods).
 *
 * <p>Threads: {@link #start} starts the informers and one virtual thread that waits for sync
 * and then starts the workers; the event recorder starts its writer on the first event;
 * {@link #close} stops all of them.
 */
final class LeadershipTerm implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeadershipTerm.class);
  private static final Duration SYNC_TIMEOUT = Duration.ofMinutes(5);

  private final InformerFactory informers;
  private final EventRecorder recorder;
  private final ControllerContext context;
  private final List<WorkLoop> loops = new ArrayList<>();
  private Thread starter;
  private volatile boolean closed;

  LeadershipTerm(SkiffClient client, ControllerManagerConfig config, Clock clock, List<String> enabled) {
    this.informers = new InformerFactory(client, config.resyncPeriod());
    this.recorder = new EventRecorder(client, "controller-manager", config.identity(), clock);
    this.context = new ControllerContext(client, informers, recorder, clock, config);
    for (String name : enabled) {
      loops.addAll(Controllers.build(name, context));
    }
  }

  ControllerContext context() {
    return context;
  }

  List<WorkLoop> loops() {
    return loops;
  }

  synchronized void start() {
    informers.start();
    starter = Thread.ofVirtual().name("controller-manager-start").start(() -> {
      if (!informers.waitForSync(SYNC_TIMEOUT)) {
        if (!closed) {
          log.warn("informers not synced after {}; controllers not started", SYNC_TIMEOUT);
        }
        return;
      }
      synchronized (this) {
        if (closed) {
          return;
        }
        loops.forEach(WorkLoop::start);
      }
      log.info("controllers started: {}", loops.stream().map(WorkLoop::name).toList());
    });
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = starter;
    }
    if (t != null) {
      t.interrupt();
    }
    loops.forEach(WorkLoop::close);
    informers.close();
    recorder.close();
  }
}
