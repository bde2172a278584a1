package dev.skiff.controllers.testing;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stand-in scheduler and node agents for end-to-end tests on the real clock: a virtual thread
 * that, every 50 ms, renews the leases of the live nodes and runs {@link Fixtures#kubeletRound}
 * for them. {@link #kill} stops a node's heartbeats and agent, as a crashed machine would.
 */
public final class FakeNodes implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FakeNodes.class);

  private final Fixtures fixtures;
  private final String namespace;
  private final Set<String> live = ConcurrentHashMap.newKeySet();
  private final Thread thread;
  private volatile boolean closed;

  public FakeNodes(Fixtures fixtures, String namespace, List<String> nodes) {
    this.fixtures = fixtures;
    this.namespace = namespace;
    for (String n : nodes) {
      fixtures.node(n, true);
      fixtures.renewLease(n);
      live.add(n);
    }
    this.thread = Thread.ofVirtual().name("fake-nodes").start(this::run);
  }

  public void kill(String node) {
    live.remove(node);
  }

  private void run() {
    while (!closed) {
      try {
        List<String> nodes = live.stream().sorted().toList();
        for (String n : nodes) {
          fixtures.renewLease(n);
        }
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
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
