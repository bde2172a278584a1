package dev.skiff.client.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.api.v1.Lease;
import dev.skiff.client.ClientOptions;
import dev.skiff.client.FakeApiServer;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.time.ManualClock;
import io.grpc.ManagedChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeaderElectorTest {
  /** Records callbacks as lines: "started", "stopped", "leader=x". */
  static final class RecordingCallbacks implements LeaderCallbacks {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void onStartedLeading() {
      calls.add("started");
    }

    @Override
    public void onStoppedLeading() {
      calls.add("stopped");
    }

    @Override
    public void onNewLeader(String identity) {
      calls.add("leader=" + identity);
    }
  }

  private static final Duration LEASE = Duration.ofSeconds(15);
  private static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private final ManualClock clock = new ManualClock();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<LeaderElector> electors = new ArrayList<>();
  private FakeApiServer server;

  @BeforeEach
  void setUp() throws Exception {
    server = new FakeApiServer(List.of(Kinds.LEASE)).start();
  }

  @AfterEach
  void tearDown() {
    electors.forEach(LeaderElector::close);
    channels.forEach(ManagedChannel::shutdownNow);
    server.close();
  }

  private SkiffClient newClient() {
    ManagedChannel channel = server.newChannel();
    channels.add(channel);
    return SkiffClient.forChannel(channel, ClientOptions.defaults());
  }

  private LeaderElector candidate(String identity, Clock clock, LeaderCallbacks callbacks, LeaderElectionConfig config) {
    LeaderElector elector = new LeaderElector(newClient(), config, clock, callbacks);
    electors.add(elector);
    return elector;
  }

  private LeaderElector candidate(String identity, LeaderCallbacks callbacks) {
    return candidate(identity, clock, callbacks,
        new LeaderElectionConfig("kube-system", "scheduler", identity, LEASE, RENEW_DEADLINE, RETRY));
  }

  private Lease lease() {
    return newClient().resource(Kinds.LEASE).get("kube-system", "scheduler");
  }

  @Test
  void firstCandidateCreatesTheLeaseAndRenewsIt() {
    RecordingCallbacks cb = new RecordingCallbacks();
    LeaderElector a = candidate("a", cb);
    assertThat(a.isLeader()).isFalse();
    assertThat(a.tryAcquireOrRenew()).isTrue();
    assertThat(a.isLeader()).isTrue();
    Lease l1 = lease();
    assertThat(l1.getSpec().getHolderIdentity()).isEqualTo("a");
    assertThat(l1.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
    assertThat(l1.getSpec().getLeaseTransitions()).isZero();
    assertThat(l1.getSpec().getRenewTime().getSeconds()).isEqualTo(clock.instant().getEpochSecond());

    clock.advance(RETRY);
    assertThat(a.tryAcquireOrRenew()).isTrue();
    Lease l2 = lease();
    assertThat(l2.getSpec().getRenewTime().getSeconds()).isEqualTo(clock.instant().getEpochSecond());
    assertThat(l2.getSpec().getAcquireTime()).isEqualTo(l1.getSpec().getAcquireTime());
    assertThat(cb.calls).containsExactly("leader=a", "started");
  }

  @Test
  void standbyTakesOverOnlyAfterTheDeadLeadersLeaseExpires() {
    RecordingCallbacks cbA = new RecordingCallbacks();
    RecordingCallbacks cbB = new RecordingCallbacks();
    LeaderElector a = candidate("a", cbA);
    LeaderElector b = candidate("b", cbB);
    assertThat(a.tryAcquireOrRenew()).isTrue();
    assertThat(b.tryAcquireOrRenew()).isFalse();
    assertThat(b.observedLeader()).isEqualTo("a");

    // a dies: it takes no more steps. b keeps trying every retry period.
    Duration elapsed = Duration.ZERO;
    while (!b.tryAcquireOrRenew()) {
      assertThat(a.isLeader() && b.isLeader()).as("double leadership").isFalse();
      clock.advance(RETRY);
      elapsed = elapsed.plus(RETRY);
      if (elapsed.compareTo(RENEW_DEADLINE) >= 0) {
        assertThat(a.isLeader()).as("a stops leading at its renew deadline").isFalse();
      }
    }
    assertThat(elapsed).isGreaterThan(LEASE);
    assertThat(b.isLeader()).isTrue();
    assertThat(a.isLeader()).isFalse();
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("b");
    assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
    assertThat(cbB.calls).containsExactly("leader=a", "leader=b", "started");

    // a comes back: it sees b holds the lease, tells its callbacks it stopped, and stays standby.
    assertThat(a.tryAcquireOrRenew()).isFalse();
    assertThat(cbA.calls).containsExactly("leader=a", "started", "leader=b", "stopped");
  }

  @Test
  void leaderThatCannotRenewStopsAtItsRenewDeadline() {
    RecordingCallbacks cb = new RecordingCallbacks();
    LeaderElector a = candidate("a", cb);
    assertThat(a.tryAcquireOrRenew()).isTrue();
    server.setAvailable(false);
    clock.advance(RETRY);
    assertThat(a.tryAcquireOrRenew()).isFalse();
    assertThat(a.isLeader()).as("still within the renew deadline").isTrue();
    clock.advance(RENEW_DEADLINE.minus(RETRY));
    assertThat(a.isLeader()).as("isLeader turns false on time, before any step").isFalse();
    assertThat(a.tryAcquireOrRenew()).isFalse();
    assertThat(cb.calls).containsExactly("leader=a", "started", "stopped");
    server.setAvailable(true);
    clock.advance(RETRY);
    assertThat(a.tryAcquireOrRenew()).as("its own lease: renewed again").isTrue();
    assertThat(cb.calls).endsWith("stopped", "started");
  }

  @Test
  void aLapseNoStepNoticedIsReportedAsStopThenStart() {
    RecordingCallbacks cb = new RecordingCallbacks();
    LeaderElector a = candidate("a", cb);
    assertThat(a.tryAcquireOrRenew()).isTrue();
    clock.advance(RENEW_DEADLINE.plusSeconds(1)); // e.g. a long pause: no step in time
    assertThat(a.isLeader()).isFalse();
    assertThat(a.tryAcquireOrRenew()).as("nobody took the lease: renewed").isTrue();
    assertThat(a.isLeader()).isTrue();
    assertThat(cb.calls).containsExactly("leader=a", "started", "stopped", "started");
  }

  @Test
  void closeReleasesTheLeaseForAnImmediateTakeover() {
    RecordingCallbacks cbA = new RecordingCallbacks();
    LeaderElector a = candidate("a", cbA);
    LeaderElector b = candidate("b", new RecordingCallbacks());
    assertThat(a.tryAcquireOrRenew()).isTrue();
    a.close();
    assertThat(cbA.calls).endsWith("stopped");
    assertThat(a.isLeader()).isFalse();
    assertThat(lease().getSpec().getHolderIdentity()).isEmpty();
    assertThat(b.tryAcquireOrRenew()).as("free lease, no waiting for expiry").isTrue();
    assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
  }

  @Test
  void aClosedElectorTakesNoLease() {
    RecordingCallbacks cb = new RecordingCallbacks();
    LeaderElector a = candidate("a", cb);
    a.close();
    assertThat(a.tryAcquireOrRenew()).isFalse();
    assertThat(a.isLeader()).isFalse();
    assertThat(newClient().resource(Kinds.LEASE).find("kube-system", "scheduler")).isEmpty();
    assertThat(cb.calls).isEmpty();
  }

  @Test
  void racingCandidatesNeverBothWin() throws Exception {
    LeaderElector first = candidate("first", new RecordingCallbacks());
    assertThat(first.tryAcquireOrRenew()).isTrue();
    clock.advance(LEASE.plusSeconds(1)); // expired: everyone may try at once
    int n = 8;
    CyclicBarrier barrier = new CyclicBarrier(n);
    AtomicInteger winners = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      LeaderElector c = candidate("c" + i, new RecordingCallbacks());
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          barrier.await();
          if (c.tryAcquireOrRenew()) {
            winners.incrementAndGet();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(winners).hasValue(1);
    assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
  }

  @Test
  void runningElectorsFailOverWhenTheLeaderIsCutOff() throws Exception {
    LeaderElectionConfig fast = new LeaderElectionConfig("kube-system", "controller", "x",
        Duration.ofSeconds(1), Duration.ofMillis(600), Duration.ofMillis(100));
    Clock real = Clock.systemUTC();
    ManagedChannel aChannel = server.newChannel();
    channels.add(aChannel);
    RecordingCallbacks cbA = new RecordingCallbacks();
    LeaderElector a = new LeaderElector(SkiffClient.forChannel(aChannel), fast, real, cbA);
    electors.add(a);
    RecordingCallbacks cbB = new RecordingCallbacks();
    LeaderElector b = candidate("b", real, cbB, new LeaderElectionConfig("kube-system", "controller", "b",
        fast.leaseDuration(), fast.renewDeadline(), fast.retryPeriod()));

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
    // warm both connections up, so that the first lease write is not slowed by class loading
    SkiffClient.forChannel(aChannel).resource(Kinds.LEASE).list("kube-system");
    newClient().resource(Kinds.LEASE).list("kube-system");
    a.start();
    await().atMost(Duration.ofSeconds(5)).until(a::isLeader);
    b.start();
    Thread.sleep(300); // b runs a few standby rounds
    assertThat(b.isLeader()).isFalse();

    aChannel.shutdownNow(); // a is cut off from the API server: it cannot renew
    await().atMost(Duration.ofSeconds(10)).until(b::isLeader);
    assertThat(a.isLeader()).isFalse();
    assertThat(cbA.calls).startsWith("leader=x", "started").endsWith("stopped");
    watching.set(false);
    monitor.join();
    assertThat(overlap).as("both led at once").isFalse();
  }

  @Test
  void configIsChecked() {
    assertThatThrownBy(() -> new LeaderElectionConfig("ns", "l", "id", Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaseDuration > renewDeadline > retryPeriod");
    assertThatThrownBy(() -> LeaderElectionConfig.defaults("ns", "l", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
