package dev.skiff.store.jetcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Watch and Lease through jetcd against a real single-member store. */
class JetcdWatchLeaseTest {
    @TempDir
    static Path dir;
    static StoreNode store;
    static Client client;

    @BeforeAll
    static void start() throws Exception {
        store = StoreNode.start(StoreConfig.singleNode(dir));
        client = Client.builder().endpoints("http://" + store.clientEndpoint()).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        store.close();
    }

    static ByteSequence b(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String key(WatchEvent e) {
        return e.getEventType() + " " + e.getKeyValue().getKey().toString(StandardCharsets.UTF_8);
    }

    @Test
    void watchPrefixWithPrevKvAndFilters() throws Exception {
        List<WatchEvent> all = new CopyOnWriteArrayList<>();
        List<WatchEvent> deletesOnly = new CopyOnWriteArrayList<>();
        Watch w = client.getWatchClient();
        try (Watch.Watcher a = w.watch(b("/w/"), WatchOption.builder().isPrefix(true).withPrevKV(true).build(),
                     (WatchResponse r) -> all.addAll(r.getEvents()));
             Watch.Watcher d = w.watch(b("/w/"), WatchOption.builder().isPrefix(true).withNoPut(true).build(),
                     (WatchResponse r) -> deletesOnly.addAll(r.getEvents()))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> store.watcherCount() >= 2);
            client.getKVClient().put(b("/w/1"), b("a")).get();
            client.getKVClient().put(b("/w/1"), b("b")).get();
            client.getKVClient().put(b("/other"), b("x")).get();
            client.getKVClient().delete(b("/w/1")).get();
            await().atMost(Duration.ofSeconds(10)).until(() -> all.size() == 3 && deletesOnly.size() == 1);
            assertThat(all).extracting(JetcdWatchLeaseTest::key).containsExactly("PUT /w/1", "PUT /w/1", "DELETE /w/1");
            assertThat(all.get(1).getPrevKV().getValue()).isEqualTo(b("a"));
            assertThat(deletesOnly).extracting(JetcdWatchLeaseTest::key).containsExactly("DELETE /w/1");
        }
    }

    @Test
    void watchResumedFromRevisionSeesNoGapAndNoDuplicate() throws Exception {
        List<Long> firstRun = new CopyOnWriteArrayList<>();
        Watch w = client.getWatchClient();
        long startRev = client.getKVClient().put(b("/r/0"), b("0")).get().getHeader().getRevision();
        Watch.Watcher first = w.watch(b("/r/"), WatchOption.builder().isPrefix(true).withRevision(startRev).build(),
                r -> r.getEvents().forEach(e -> firstRun.add(e.getKeyValue().getModRevision())));
        for (int i = 1; i <= 20; i++) {
            client.getKVClient().put(b("/r/" + i), b("v")).get();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> firstRun.size() >= 10);
        first.close(); // the client goes away mid-stream
        long resumeFrom = firstRun.get(firstRun.size() - 1) + 1;
        for (int i = 21; i <= 40; i++) {
            client.getKVClient().put(b("/r/" + i), b("v")).get();
        }
        List<Long> secondRun = new CopyOnWriteArrayList<>();
        try (Watch.Watcher second = w.watch(b("/r/"), WatchOption.builder().isPrefix(true).withRevision(resumeFrom).build(),
                r -> r.getEvents().forEach(e -> secondRun.add(e.getKeyValue().getModRevision())))) {
            long last = startRev + 40;
            await().atMost(Duration.ofSeconds(10)).until(() -> !secondRun.isEmpty() && secondRun.get(secondRun.size() - 1) == last);
            List<Long> combined = new java.util.ArrayList<>(firstRun);
            combined.addAll(secondRun);
            List<Long> expected = java.util.stream.LongStream.rangeClosed(startRev, last).boxed().toList();
            assertThat(combined).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void leaseGrantKeepAliveTimeToLiveRevoke() throws Exception {
        var lease = client.getLeaseClient();
        long id = lease.grant(30).get(10, TimeUnit.SECONDS).getID();
        client.getKVClient().put(b("/l/a"), b("1"), PutOption.builder().withLeaseId(id).build()).get();
        assertThat(lease.keepAliveOnce(id).get(10, TimeUnit.SECONDS).getTTL()).isEqualTo(30);
        var ttl = lease.timeToLive(id, io.etcd.jetcd.options.LeaseOption.builder().withAttachedKeys().build()).get();
        assertThat(ttl.getGrantedTTL()).isEqualTo(30);
        assertThat(ttl.getTTL()).isBetween(1L, 30L);
        assertThat(ttl.getKeys()).containsExactly(b("/l/a"));
        lease.revoke(id).get();
        assertThat(client.getKVClient().get(b("/l/a")).get().getKvs()).isEmpty();
        assertThat(lease.timeToLive(id, io.etcd.jetcd.options.LeaseOption.DEFAULT).get().getTTL()).isEqualTo(-1);
    }

    @Test
    void expiredLeaseDeletesItsKeysExactlyOnce() throws Exception {
        List<WatchEvent> deletes = new CopyOnWriteArrayList<>();
        List<Long> deleteRevisions = new CopyOnWriteArrayList<>();
        try (Watch.Watcher w = client.getWatchClient().watch(b("/exp/"),
                WatchOption.builder().isPrefix(true).withNoPut(true).build(), r -> r.getEvents().forEach(e -> {
                    deletes.add(e);
                    deleteRevisions.add(e.getKeyValue().getModRevision());
                }))) {
            long id = client.getLeaseClient().grant(2).get().getID();
            client.getKVClient().put(b("/exp/a"), b("1"), PutOption.builder().withLeaseId(id).build()).get();
            client.getKVClient().put(b("/exp/b"), b("1"), PutOption.builder().withLeaseId(id).build()).get();
            await().atMost(Duration.ofSeconds(15)).until(() -> deletes.size() >= 2);
            assertThat(client.getKVClient().get(b("/exp/"), io.etcd.jetcd.options.GetOption.builder().isPrefix(true).build())
                    .get().getCount()).isZero();
            // one revoke: both deletions at one revision, and nothing more afterwards
            long rev = client.getKVClient().put(b("/exp-marker"), b("x")).get().getHeader().getRevision();
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).until(() -> deletes.size() == 2);
            assertThat(deleteRevisions).hasSize(2).allMatch(r -> r.equals(deleteRevisions.get(0)));
            assertThat(rev).isGreaterThan(deleteRevisions.get(0));
            assertThat(client.getLeaseClient().timeToLive(id, io.etcd.jetcd.options.LeaseOption.DEFAULT).get().getTTL())
                    .isEqualTo(-1);
        }
    }
}
