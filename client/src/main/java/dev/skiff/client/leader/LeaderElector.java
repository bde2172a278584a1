package dev.skiff.client.leader;

import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.Lease;
import dev.skiff.api.v1.LeaseList;
import dev.skiff.api.v1.LeaseSpec;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.RetryPolicy;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a coordination.k8s.io/v1 Lease (client-go's leaderelection).
 *
 * <p>A candidate takes the lease when it is free (no holder) or expired
 * ({@code renewTime + leaseDurationSeconds < now}), writing its identity, acquire and renew times
 * and {@code leaseTransitions + 1}; the leader renews {@code renewTime} every retry period. Every
 * write is an update carrying the lease's resourceVersion (or a create if the lease does not exist),
 * so of two candidates racing for one version only one succeeds: the other gets ABORTED (or
 * ALREADY_EXISTS) and stays standby. A leader that cannot renew within {@code renewDeadline} of its
 * last successful renewal stops leading; {@link #isLeader()} turns false at that moment even if the
 * thread is stuck in a call. Since {@code renewDeadline < leaseDuration}, the old leader has stopped
 * before anyone may take the lease over (candidates' clocks are assumed to agree to well within
 * {@code leaseDuration - renewDeadline}). On {@link #close()} a leader releases the lease by
 * clearing {@code holderIdentity}, so a standby takes over at its next try.
 *
 * <p>Threads: the constructor starts nothing; {@link #start()} starts one virtual thread that tries
 * every retry period (jittered up to +20% while standby) and keeps contending after losing the
 * lease. Tests call {@link #tryAcquireOrRenew()} instead, with a {@code ManualClock}; do not mix
 * both on one elector. Callbacks run on the thread that made the change, outside the state lock.
 * Calls to the API server use a deadline of at most {@code renewDeadline} and are not retried.
 */
public final class LeaderElector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderElector.class);

  private final ResourceClient<Lease, LeaseList> leases;
  private final LeaderElectionConfig config;
  private final Clock clock;
  private final LeaderCallbacks callbacks;
  private final CountDownLatch stopped = new CountDownLatch(1);

  // Guarded by `this`.
  private boolean leading;
  private Instant lastRenew = Instant.MIN;
  private String observedHolder = "";
  private Thread thread;
  private boolean closed;
  // a step in flight when close() came wrote the lease: close() must still release it
  private boolean wroteWhileClosing;

  private enum Change { NONE, STARTED, STOPPED, RESTARTED }

  public LeaderElector(SkiffClient client, LeaderElectionConfig config, Clock clock, LeaderCallbacks callbacks) {
    Duration timeout = client.options().callTimeout().compareTo(config.renewDeadline()) < 0
        ? client.options().callTimeout() : config.renewDeadline();
    SkiffClient bounded = SkiffClient.forChannel(client.channel(),
        client.options().withCallTimeout(timeout).withRetryPolicy(RetryPolicy.NONE));
    this.leases = bounded.resource(Kinds.LEASE);
    this.config = config;
    this.clock = clock;
    this.callbacks = callbacks;
  }

  /** Starts the election thread; idempotent. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("leader elector " + config.identity() + " is closed");
    }
    if (thread == null) {
      thread = Thread.ofVirtual().name("leader-elector-" + config.leaseName()).start(this::run);
    }
  }

  private void run() {
    try {
      do {
        tryAcquireOrRenew();
      } while (!stopped.await(pause().toNanos(), TimeUnit.NANOSECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Duration pause() {
    Duration retry = config.retryPeriod();
    if (isLeader()) {
      return retry;
    }
    return retry.plusNanos((long) (retry.toNanos() * 0.2 * ThreadLocalRandom.current().nextDouble()));
  }

  /**
   * One step: acquires the lease if it is free or expired, renews it if held. Returns whether this
   * candidate holds the lease after the step. Fires callbacks on the calling thread. After
   * {@link #close()} it does nothing and returns false.
   */
  public boolean tryAcquireOrRenew() {
    synchronized (this) {
      if (closed) {
        return false;
      }
    }
    Instant now = clock.instant();
    boolean held;
    try {
      held = writeLease(now);
    } catch (ApiException e) {
      if (e.isConflict() || e.isAlreadyExists()) {
        log.debug("{}: lost the race for lease {}: {}", config.identity(), leaseRef(), e.getMessage());
      } else {
        log.warn("{}: cannot acquire or renew lease {}: {}", config.identity(), leaseRef(), e.getMessage());
      }
      held = false;
    }
    if (held && !clock.instant().isBefore(now.plus(config.renewDeadline()))) {
      // the write took longer than the renew deadline: by the time we know, the lease may be lapsing
      log.warn("{}: acquiring/renewing lease {} took longer than {}, not counting it", config.identity(), leaseRef(),
          config.renewDeadline());
      held = false;
    }
    Change change;
    synchronized (this) {
      change = held ? renewed(now) : failed(now);
    }
    fire(change);
    return held;
  }

  /** Reads the lease and writes it if we may hold it; true if we hold it now. */
  private boolean writeLease(Instant now) {
    Optional<Lease> current = leases.find(config.namespace(), config.leaseName());
    if (current.isEmpty()) {
      leases.create(Lease.newBuilder()
          .setMetadata(ObjectMeta.newBuilder().setNamespace(config.namespace()).setName(config.leaseName()))
          .setSpec(ourSpec(LeaseSpec.getDefaultInstance(), now, true))
          .build());
      observe(config.identity());
      return true;
    }
    Lease lease = current.get();
    LeaseSpec spec = lease.getSpec();
    String holder = spec.getHolderIdentity();
    observe(holder);
    boolean ours = holder.equals(config.identity());
    if (!ours && !holder.isEmpty() && !expired(spec, now)) {
      return false;
    }
    leases.update(lease.toBuilder().setSpec(ourSpec(spec, now, !ours)).build());
    observe(config.identity());
    return true;
  }

  private LeaseSpec ourSpec(LeaseSpec old, Instant now, boolean acquiring) {
    LeaseSpec.Builder spec = old.toBuilder()
        .setHolderIdentity(config.identity())
        .setLeaseDurationSeconds((int) Math.ceil(config.leaseDuration().toMillis() / 1000.0))
        .setRenewTime(timestamp(now));
    if (acquiring) {
      spec.setAcquireTime(timestamp(now));
      spec.setLeaseTransitions(old.hasHolderIdentity() || old.hasLeaseTransitions() ? old.getLeaseTransitions() + 1 : 0);
    }
    return spec.build();
  }

  private static boolean expired(LeaseSpec spec, Instant now) {
    if (!spec.hasRenewTime()) {
      return true;
    }
    Instant renew = Instant.ofEpochSecond(spec.getRenewTime().getSeconds(), spec.getRenewTime().getNanos());
    return renew.plusSeconds(spec.getLeaseDurationSeconds()).isBefore(now);
  }

  private Change renewed(Instant now) {
    boolean lapsed = leading && !now.isBefore(lastRenew.plus(config.renewDeadline()));
    lastRenew = now;
    if (closed) {
      wroteWhileClosing = true;
      return Change.NONE;
    }
    if (lapsed) {
      // no step noticed the missed deadline (e.g. a long pause): isLeader() was false meanwhile
      log.warn("{}: leadership of lease {} lapsed (no renewal within {}), leading again", config.identity(),
          leaseRef(), config.renewDeadline());
      return Change.RESTARTED;
    }
    if (!leading) {
      leading = true;
      log.info("{}: became leader of lease {}", config.identity(), leaseRef());
      return Change.STARTED;
    }
    return Change.NONE;
  }

  private Change failed(Instant now) {
    boolean someoneElse = !observedHolder.isEmpty() && !observedHolder.equals(config.identity());
    if (leading && (someoneElse || !now.isBefore(lastRenew.plus(config.renewDeadline())))) {
      leading = false;
      log.warn("{}: stopped leading lease {} ({})", config.identity(), leaseRef(),
          someoneElse ? observedHolder + " holds it" : "no renewal within " + config.renewDeadline());
      return Change.STOPPED;
    }
    return Change.NONE;
  }

  private void observe(String holder) {
    boolean changed;
    synchronized (this) {
      changed = !holder.isEmpty() && !holder.equals(observedHolder);
      observedHolder = holder;
    }
    if (changed) {
      try {
        callbacks.onNewLeader(holder);
      } catch (RuntimeException e) {
        log.warn("{}: onNewLeader callback failed: {}", config.identity(), e.toString());
      }
    }
  }

  private void fire(Change change) {
    try {
      switch (change) {
        case STARTED -> callbacks.onStartedLeading();
        case STOPPED -> callbacks.onStoppedLeading();
        case RESTARTED -> {
          callbacks.onStoppedLeading();
          callbacks.onStartedLeading();
        }
        case NONE -> { }
      }
    } catch (RuntimeException e) {
      log.warn("{}: leadership callback failed: {}", config.identity(), e.toString());
    }
  }

  /** True while this candidate leads: it holds the lease and renewed it less than renewDeadline ago. */
  public synchronized boolean isLeader() {
    return leading && clock.instant().isBefore(lastRenew.plus(config.renewDeadline()));
  }

  /** The holder last seen on the lease ("" if none seen yet). */
  public synchronized String observedLeader() {
    return observedHolder;
  }

  /** Stops the thread and, if leading, releases the lease (clears holderIdentity). */
  @Override
  public void close() {
    Thread t;
    boolean wasLeading;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      t = thread;
      wasLeading = leading;
      leading = false;
    }
    stopped.countDown();
    if (t != null) {
      try {
        t.join(config.renewDeadline().plusSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    boolean holding;
    synchronized (this) {
      holding = wasLeading || wroteWhileClosing;
    }
    if (holding) {
      release();
    }
    if (wasLeading) {
      fire(Change.STOPPED);
    }
  }

  private void release() {
    try {
      Optional<Lease> lease = leases.find(config.namespace(), config.leaseName());
      if (lease.isPresent() && lease.get().getSpec().getHolderIdentity().equals(config.identity())) {
        leases.update(lease.get().toBuilder().setSpec(lease.get().getSpec().toBuilder()
            .setHolderIdentity("")
            .setRenewTime(timestamp(clock.instant()))).build());
        log.info("{}: released lease {}", config.identity(), leaseRef());
      }
    } catch (ApiException e) {
      log.warn("{}: could not release lease {}, it expires on its own: {}", config.identity(), leaseRef(), e.getMessage());
    }
  }

  private String leaseRef() {
    return config.namespace() + "/" + config.leaseName();
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
