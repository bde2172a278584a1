package dev.skiff.controllers;

import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.client.ApiException;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.leader.LeaderCallbacks;
import dev.skiff.client.leader.LeaderElectionConfig;
import dev.skiff.client.leader.LeaderElector;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller manager: runs the enabled controllers ({@link Controllers}) on shared informers
 * while this instance is the leader (Lease {@code kube-system/kube-controller-manager}), or all
 * the time without leader election. Each leadership term builds its controllers afresh
 * ({@link LeadershipTerm}); losing the lease stops them, and a standby that takes over starts
 * from a fresh list of the cluster.
 *
 * <p>Threads: the constructor starts nothing; {@link #start} starts the leader elector (or the
 * controllers directly); term changes happen on the elector's callbacks, serialized by this
 * object's lock; {@link #close} releases the lease and stops everything.
 */
public final class ControllerManager implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControllerManager.class);

  private final SkiffClient client;
  private final ControllerManagerConfig config;
  private final Clock clock;
  private final List<String> enabled;
  // Guarded by `this`.
  private LeaderElector elector;
  private LeadershipTerm term;
  private boolean closed;

  /**
   * @throws IllegalArgumentException if {@code config} names an unknown controller
   */
  public ControllerManager(SkiffClient client, ControllerManagerConfig config, Clock clock) {
    this.client = client;
    this.config = config;
    this.clock = clock;
    this.enabled = Controllers.enabled(config.controllers());
  }

  /** The controllers this manager runs, in start order. */
  public List<String> enabledControllers() {
    return enabled;
  }

  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("controller manager is closed");
    }
    if (elector != null || term != null) {
      return;
    }
    log.info("controller manager {} starting (leader election {}): {}", config.identity(),
        config.leaderElect() ? "on" : "off", enabled);
    if (!config.leaderElect()) {
      startTerm();
      return;
    }
    ensureLeaseNamespace();
    elector = new LeaderElector(client, new LeaderElectionConfig(ControllerManagerConfig.LEASE_NAMESPACE,
        ControllerManagerConfig.LEASE_NAME, config.identity(), config.leaseDuration(), config.renewDeadline(),
        config.retryPeriod()), clock, new LeaderCallbacks() {
          @Override
          public void onStartedLeading() {
            startTerm();
          }

          @Override
          public void onStoppedLeading() {
            stopTerm();
          }

          @Override
          public void onNewLeader(String identity) {
            log.info("controller manager leader is now {}", identity);
          }
        });
    elector.start();
  }

  /** Whether the controllers are running here (this instance leads, or election is off). */
  public synchronized boolean isRunning() {
    return term != null;
  }

  /** The context of the running term, if any (tests step its controllers). */
  synchronized Optional<ControllerContext> context() {
    return Optional.ofNullable(term).map(LeadershipTerm::context);
  }

  private synchronized void startTerm() {
    if (closed || term != null) {
      return;
    }
    log.info("controller manager {}: leading, starting controllers", config.identity());
    term = new LeadershipTerm(client, config, clock, enabled);
    term.start();
  }

  private synchronized void stopTerm() {
    if (term == null) {
      return;
    }
    log.info("controller manager {}: stopping controllers", config.identity());
    term.close();
    term = null;
  }

  /** The lease lives in kube-system; create it if the cluster has not (harmless if it exists). */
  private void ensureLeaseNamespace() {
    try {
      client.resource(Kinds.NAMESPACE).create(Namespace.newBuilder().setApiVersion("v1").setKind("Namespace")
          .setMetadata(ObjectMeta.newBuilder().setName(ControllerManagerConfig.LEASE_NAMESPACE)).build());
    } catch (ApiException e) {
      if (!e.isAlreadyExists()) {
        log.warn("could not ensure namespace {}: {}", ControllerManagerConfig.LEASE_NAMESPACE, e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    LeaderElector e;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      e = elector;
    }
    if (e != null) {
      e.close(); // releases the lease so a standby takes over at once
    }
    synchronized (this) {
      if (term != null) {
        term.close();
        term = null;
      }
    }
  }
}
