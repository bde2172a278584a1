package dev.skiff.controllers.testing;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stand-in scheduler and node agents for end-to-end tests on the real clock: one virtual thread
 * renews the live nodes' leases (and re-posts Ready=True, as an agent's status sync would), another
 * runs {@link Fixtures#kubeletRound} for them every 50 ms. {@link #kill} stops a node's heartbeats and agent, as a crashed machine would.
 */
public final class FakeNodes implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FakeNodes.class);

  private final Fixtures fixtures;
  private final String namespace;
  private final Set<String> live = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private final Thread heartbeats;
  private volatile boolean closed;

  public FakeNodes(Fixtures fixtures, String namespace, List<String> nodes) {
    this.fixtures = fixtures;
    this.namespace = namespace;
    for (String n : nodes) {
      fixtures.node(n, true);
      fixtures.renewLease(n);
      live.add(n);
    }
    this.heartbeats = Thread.ofVirtual().name("fake-node-heartbeats").start(this::heartbeat);
    this.thread = Thread.ofVirtual().name("fake-nodes").start(this::run);
  }

  /** Renews each live node's lease, and re-posts Ready=True if the controller marked it Unknown. */
  private void heartbeat() {
    while (!closed) {
      try {
        for (String n : live.stream().sorted().toList()) {
          fixtures.renewLease(n);
          fixtures.ensureReady(n);
        }
        Thread.sleep(Duration.ofMillis(100)); // the period of a simulated agent, not a test wait
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.debug("fake heartbeat failed: {}", e.toString());
      }
    }
  }

  public void kill(String node) {
    live.remove(node);
  }

  private void run() {
    while (!closed) {
      try {
        List<String> nodes = live.stream().sorted().toList();
        fixtures.kubeletRound(namespace, nodes);
        Thread.sleep(Duration.ofMillis(50)); // the period of a simulated agent, not a test wait
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.debug("fake nodes round failed: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    heartbeats.interrupt();
    try {
      thread.join();
      heartbeats.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
