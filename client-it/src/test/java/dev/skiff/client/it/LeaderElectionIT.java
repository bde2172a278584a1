package dev.skiff.client.it;

import static dev.skiff.client.it.Fixtures.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Lease;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.leader.LeaderCallbacks;
import dev.skiff.client.leader.LeaderElectionConfig;
import dev.skiff.client.leader.LeaderElector;
import dev.skiff.client.time.ManualClock;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two candidates for one Lease on the real API server; the leader dies, the standby takes over. */
class LeaderElectionIT {
  private static final class Recording implements LeaderCallbacks {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void onStartedLeading() {
      calls.add("started");
    }

    @Override
    public void onStoppedLeading() {
      calls.add("stopped");
    }
  }

  private static InProcessCluster cluster;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<LeaderElector> electors = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster = InProcessCluster.start();
    Fixtures.createNamespace(cluster.client(), "kube-system");
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @AfterEach
  void stop() {
    electors.forEach(LeaderElector::close);
    channels.forEach(ManagedChannel::shutdownNow);
  }

  /** Each candidate has its own connection, as separate processes would. */
  private ManagedChannel connection() {
    ManagedChannel channel = InProcessChannelBuilder.forName(cluster.serverName()).build();
    channels.add(channel);
    return channel;
  }

  private LeaderElector candidate(String id, ManagedChannel channel, Clock clock, Recording cb, LeaderElectionConfig base) {
    LeaderElectionConfig config = new LeaderElectionConfig(base.namespace(), base.leaseName(), id,
        base.leaseDuration(), base.renewDeadline(), base.retryPeriod());
    LeaderElector e = new LeaderElector(SkiffClient.forChannel(channel), config, clock, cb);
    electors.add(e);
    return e;
  }

  private Lease lease(String name) {
    return cluster.client().resource(Kinds.LEASE).get("kube-system", name);
  }

  @Test
  void steppedCandidatesTakeOverOnlyAfterExpiry() {
    ManualClock clock = new ManualClock();
    LeaderElectionConfig cfg = LeaderElectionConfig.defaults("kube-system", "kube-scheduler", "unused");
    Recording cbA = new Recording();
    Recording cbB = new Recording();
    LeaderElector a = candidate("a", connection(), clock, cbA, cfg);
    LeaderElector b = candidate("b", connection(), clock, cbB, cfg);

    assertThat(a.tryAcquireOrRenew()).isTrue();
    assertThat(b.tryAcquireOrRenew()).isFalse();
    for (int i = 0; i < 5; i++) { // a renews, b waits
      clock.advance(cfg.retryPeriod());
      assertThat(a.tryAcquireOrRenew()).isTrue();
      assertThat(b.tryAcquireOrRenew()).isFalse();
    }
    // a dies (no more steps); b takes over once renewTime + 15 s has passed, not before
    Duration waited = Duration.ZERO;
    while (!b.tryAcquireOrRenew()) {
      assertThat(a.isLeader() && b.isLeader()).isFalse();
      clock.advance(cfg.retryPeriod());
      waited = waited.plus(cfg.retryPeriod());
    }
    assertThat(waited).isGreaterThan(cfg.leaseDuration());
    assertThat(a.isLeader()).isFalse();
    Lease lease = lease("kube-scheduler");
    assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("b");
    assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(1);
    assertThat(cbB.calls).containsExactly("started");

    b.close(); // releases: a (back) takes it at once
    assertThat(lease("kube-scheduler").getSpec().getHolderIdentity()).isEmpty();
    assertThat(a.tryAcquireOrRenew()).isTrue();
    assertThat(lease("kube-scheduler").getSpec().getLeaseTransitions()).isEqualTo(2);
    assertThat(cbA.calls).containsExactly("started", "stopped", "started");
  }

  @Test
  void runningStandbyTakesOverFromAKilledLeaderWithoutOverlap() throws Exception {
    LeaderElectionConfig cfg = new LeaderElectionConfig("kube-system", "kube-controller-manager", "unused",
        Duration.ofSeconds(1), Duration.ofMillis(600), Duration.ofMillis(100));
    Clock real = Clock.systemUTC();
    ManagedChannel aConnection = connection();
    Recording cbA = new Recording();
    Recording cbB = new Recording();
    LeaderElector a = candidate("a", aConnection, real, cbA, cfg);
    LeaderElector b = candidate("b", connection(), real, cbB, cfg);

    AtomicBoolean overlap = new AtomicBoolean();
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread monitor = Thread.ofVirtual().start(() -> {
      while (watching.get()) {
        if (a.isLeader() && b.isLeader()) {
          overlap.set(true);
        }
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    // warm the connections up, so that the first lease write is not slowed by class loading
    SkiffClient.forChannel(aConnection).resource(Kinds.LEASE).list("kube-system");
    a.start();
    eventually().until(a::isLeader);
    b.start();
    eventually().until(() -> "a".equals(b.observedLeader()));
    assertThat(b.isLeader()).isFalse();

    aConnection.shutdownNow(); // the leader is cut off (as if its process died): no more renewals
    eventually().until(b::isLeader);
    assertThat(a.isLeader()).isFalse();
    watching.set(false);
    monitor.join();
    assertThat(overlap).as("two leaders at once").isFalse();
    // on a slow machine a renewal may lapse and recover (stop + start) before the cut: it ends stopped
    assertThat(cbA.calls).startsWith("started").endsWith("stopped");
    assertThat(cbB.calls).startsWith("started");
    assertThat(lease("kube-controller-manager").getSpec().getHolderIdentity()).isEqualTo("b");
  }
}
