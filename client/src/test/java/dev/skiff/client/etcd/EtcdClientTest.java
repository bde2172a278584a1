package dev.skiff.client.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.mvcc.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The etcd client against Debian's real etcd. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdClientTest {
  private LocalEtcd etcd;
  private EtcdClient client;

  @BeforeAll
  void start() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(LocalEtcd.available(), "needs /usr/bin/etcd (etcd-server)");
    etcd = new LocalEtcd().start();
    // a dead endpoint first: the failover channel must move on to the live one
    client = EtcdClient.connect(List.of("127.0.0.1:" + LocalEtcd.freePort(), etcd.endpoint()));
  }

  @AfterAll
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (etcd != null) {
      etcd.close();
    }
  }

  private static ByteString b(String s) {
    return ByteString.copyFromUtf8(s);
  }

  @Test
  void guardedWritesDetectConflicts() {
    CasResult created = client.createIfAbsent(b("/t/cas/a"), b("1"));
    assertThat(created.succeeded()).isTrue();
    CasResult again = client.createIfAbsent(b("/t/cas/a"), b("2"));
    assertThat(again.succeeded()).isFalse();
    assertThat(again.current()).get().satisfies(kv -> assertThat(kv.getValue().toStringUtf8()).isEqualTo("1"));

    long rev = client.get(b("/t/cas/a")).orElseThrow().getModRevision();
    assertThat(rev).isEqualTo(created.revision());
    CasResult updated = client.updateIfModRevision(b("/t/cas/a"), b("3"), rev);
    assertThat(updated.succeeded()).isTrue();
    CasResult stale = client.updateIfModRevision(b("/t/cas/a"), b("4"), rev);
    assertThat(stale.succeeded()).isFalse();
    assertThat(stale.current().orElseThrow().getModRevision()).isEqualTo(updated.revision());
    assertThat(client.deleteIfModRevision(b("/t/cas/a"), rev).succeeded()).isFalse();
    assertThat(client.deleteIfModRevision(b("/t/cas/a"), updated.revision()).succeeded()).isTrue();
    assertThat(client.get(b("/t/cas/a"))).isEmpty();
    CasResult missing = client.updateIfModRevision(b("/t/cas/a"), b("5"), updated.revision());
    assertThat(missing.succeeded()).isFalse();
    assertThat(missing.current()).isEmpty();
  }

  @Test
  void pagesReadAtAPinnedRevisionIgnoreLaterWrites() {
    for (int i = 0; i < 10; i++) {
      client.put(b("/t/page/k" + i), b("v" + i));
    }
    RangePage first = client.range(b("/t/page/"), EtcdClient.prefixEnd(b("/t/page/")), 4, 0);
    assertThat(first.kvs()).hasSize(4);
    assertThat(first.more()).isTrue();
    assertThat(first.count()).isEqualTo(10);
    client.put(b("/t/page/k99"), b("late"));
    client.delete(b("/t/page/k5"));
    List<String> keys = new ArrayList<>();
    first.kvs().forEach(kv -> keys.add(kv.getKey().toStringUtf8()));
    RangePage page = first;
    while (page.more()) {
      ByteString next = page.kvs().getLast().getKey().concat(ByteString.copyFrom(new byte[] {0}));
      page = client.range(next, EtcdClient.prefixEnd(b("/t/page/")), 4, first.revision());
      page.kvs().forEach(kv -> keys.add(kv.getKey().toStringUtf8()));
    }
    assertThat(keys).hasSize(10).contains("/t/page/k5").doesNotContain("/t/page/k99");
    assertThat(client.count(b("/t/page/")).count()).isEqualTo(10);
  }

  @Test
  void watchDeliversEventsFromAStartRevisionAndProgress() {
    long start = client.put(b("/t/w/a"), b("1"));
    client.put(b("/t/w/b"), b("2"));
    client.delete(b("/t/w/a"));
    List<Event> events = new CopyOnWriteArrayList<>();
    AtomicLong progress = new AtomicLong();
    try (EtcdWatch w = client.watch(WatchOptions.prefix(b("/t/w/"), start), new EtcdWatchListener() {
      @Override
      public void onEvents(List<Event> batch, long revision) {
        events.addAll(batch);
      }

      @Override
      public void onProgress(long revision) {
        progress.set(revision);
      }

      @Override
      public void onError(EtcdException error) {}
    })) {
      await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 3);
      assertThat(events.get(0).getKv().getModRevision()).isEqualTo(start);
      assertThat(events.get(2).getType()).isEqualTo(Event.EventType.DELETE);
      long now = client.put(b("/t/other"), b("x"));
      await().atMost(Duration.ofSeconds(5)).until(() -> {
        w.requestProgress();
        return progress.get() >= now;
      });
      assertThat(w.nextRevision()).isGreaterThan(now);
    }
  }

  @Test
  void compactedRevisionsAreReportedClearly() {
    long old = client.put(b("/t/c/a"), b("1"));
    long now = client.put(b("/t/c/a"), b("2"));
    client.compact(now);
    assertThatThrownBy(() -> client.range(b("/t/c/"), EtcdClient.prefixEnd(b("/t/c/")), 0, old))
        .isInstanceOf(EtcdCompactedException.class);
    AtomicReference<EtcdException> error = new AtomicReference<>();
    try (EtcdWatch w = client.watch(WatchOptions.prefix(b("/t/c/"), old), new EtcdWatchListener() {
      @Override
      public void onEvents(List<Event> batch, long revision) {}

      @Override
      public void onError(EtcdException e) {
        error.set(e);
      }
    })) {
      await().atMost(Duration.ofSeconds(5)).until(() -> error.get() != null);
      assertThat(error.get()).isInstanceOf(EtcdCompactedException.class);
      assertThat(((EtcdCompactedException) error.get()).compactRevision()).isEqualTo(now);
    }
  }

  @Test
  void leasedKeysGoAwayWithTheirLease() {
    long lease = client.leaseGrant(Duration.ofSeconds(30));
    client.put(b("/t/lease/a"), b("1"), lease);
    assertThat(client.leaseKeepAliveOnce(lease)).isPositive();
    client.leaseRevoke(lease);
    assertThat(client.get(b("/t/lease/a"))).isEmpty();
  }

  @Test
  void watchResumesAcrossAStoreRestartWithoutGapOrDuplicate() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (EtcdWatch w = client.watch(WatchOptions.prefix(b("/t/r/"), 0), new EtcdWatchListener() {
      @Override
      public void onEvents(List<Event> batch, long revision) {
        batch.forEach(e -> seen.add(e.getKv().getKey().toStringUtf8()));
      }

      @Override
      public void onError(EtcdException e) {
        seen.add("error " + e.getMessage());
      }
    })) {
      await().atMost(Duration.ofSeconds(5)).until(() -> w.nextRevision() > 0);
      client.put(b("/t/r/1"), b("x"));
      await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 1);
      etcd.stop();
      etcd.start();
      client.put(b("/t/r/2"), b("x"));
      client.put(b("/t/r/3"), b("x"));
      await().atMost(Duration.ofSeconds(15)).until(() -> seen.size() >= 3);
      assertThat(seen).containsExactly("/t/r/1", "/t/r/2", "/t/r/3");
    }
  }
}
