package dev.skiff.store.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.ResponseHeader;
import dev.skiff.proto.etcd.WatchResponse;
import dev.skiff.proto.etcd.mvcc.Event;
import dev.skiff.store.mvcc.KeyRange;
import dev.skiff.store.mvcc.MvccStore;
import dev.skiff.store.mvcc.WriteTxn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The watch hub over a plain MVCC store, stepped by hand: no Raft, no threads. */
class WatchHubTest {
    private final MvccStore store = new MvccStore();
    private final WatchHub hub = new WatchHub(store, ResponseHeader::getDefaultInstance);

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private void put(String k, String v) {
        List<Event> events;
        long rev;
        try (WriteTxn tx = store.write()) {
            tx.put(b(k), b(v), 0);
            events = tx.events();
            rev = tx.revision();
        }
        hub.notify(rev, events);
    }

    private void delete(String k) {
        List<Event> events;
        long rev;
        try (WriteTxn tx = store.write()) {
            tx.deleteRange(KeyRange.of(b(k), ByteString.EMPTY));
            events = tx.events();
            rev = tx.revision();
        }
        hub.notify(rev, events);
    }

    private static Watcher watcher(long id, String prefix, boolean prevKv, boolean noPut, WatchSink sink) {
        return new Watcher(id, KeyRange.of(b(prefix), KeyRange.prefixEnd(b(prefix))), prevKv, noPut, false, false, sink);
    }

    private static List<WatchResponse> drain(WatchSink sink) throws InterruptedException {
        List<WatchResponse> out = new ArrayList<>();
        WatchResponse r;
        while ((r = sink.poll()) != null) {
            out.add(r);
        }
        return out;
    }

    private static List<String> keysOf(List<WatchResponse> rs) {
        List<String> keys = new ArrayList<>();
        rs.forEach(r -> r.getEventsList().forEach(e -> keys.add(e.getType() + " " + e.getKv().getKey().toStringUtf8())));
        return keys;
    }

    @Test
    void liveEventsWithFiltersAndPrevKv() throws Exception {
        WatchSink sink = new WatchSink(100, () -> {});
        hub.add(watcher(1, "/a/", true, false, sink), 0);
        hub.add(watcher(2, "/a/", false, true, sink), 0);
        put("/a/x", "1");
        put("/b/y", "1");
        put("/a/x", "2");
        delete("/a/x");
        List<WatchResponse> rs = drain(sink);
        assertThat(rs.get(0).getCreated()).isTrue();
        assertThat(rs.get(1).getCreated()).isTrue();
        List<WatchResponse> w1 = rs.stream().filter(r -> r.getWatchId() == 1 && !r.getCreated()).toList();
        List<WatchResponse> w2 = rs.stream().filter(r -> r.getWatchId() == 2 && !r.getCreated()).toList();
        assertThat(keysOf(w1)).containsExactly("PUT /a/x", "PUT /a/x", "DELETE /a/x");
        assertThat(w1.get(1).getEvents(0).getPrevKv().getValue()).isEqualTo(b("1"));
        assertThat(keysOf(w2)).containsExactly("DELETE /a/x");
        assertThat(w2.get(0).getEvents(0).hasPrevKv()).isFalse();
    }

    @Test
    void slowWatcherNeverBlocksAndCatchesUpWithoutGapOrDuplicate() throws Exception {
        WatchSink tiny = new WatchSink(2, () -> {});
        hub.add(watcher(7, "/k/", false, false, tiny), 0);
        for (int i = 0; i < 50; i++) {
            put("/k/" + i, "v");
        }
        List<String> seen = new ArrayList<>(keysOf(drain(tiny)));
        while (hub.syncUnsynced() > 0) {
            seen.addAll(keysOf(drain(tiny)));
        }
        seen.addAll(keysOf(drain(tiny)));
        put("/k/last", "v");
        seen.addAll(keysOf(drain(tiny)));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("PUT /k/" + i);
        }
        expected.add("PUT /k/last");
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void startRevisionReplaysHistory() throws Exception {
        put("/h/1", "a");
        put("/h/2", "b");
        put("/h/3", "c");
        WatchSink sink = new WatchSink(100, () -> {});
        hub.add(watcher(3, "/h/", false, false, sink), 3);
        hub.syncUnsynced();
        put("/h/4", "d");
        assertThat(keysOf(drain(sink))).containsExactly("PUT /h/2", "PUT /h/3", "PUT /h/4");
    }

    @Test
    void compactedStartIsReportedWithCompactRevision() throws Exception {
        put("/c/1", "a");
        put("/c/1", "b");
        put("/c/1", "c");
        store.compact(3);
        WatchSink sink = new WatchSink(100, () -> {});
        hub.add(watcher(4, "/c/", false, false, sink), 2);
        hub.syncUnsynced();
        List<WatchResponse> rs = drain(sink);
        WatchResponse last = rs.get(rs.size() - 1);
        assertThat(last.getCanceled()).isTrue();
        assertThat(last.getCompactRevision()).isEqualTo(3);
        assertThat(last.getCancelReason()).isEqualTo("etcdserver: mvcc: required revision has been compacted");
        assertThat(hub.watcherCount()).isZero();
    }

    @Test
    void progressOnlyWhenSynced() {
        WatchSink sink = new WatchSink(100, () -> {});
        Watcher w = watcher(5, "/p/", false, false, sink);
        put("/p/1", "a");
        hub.add(w, 1);
        assertThat(hub.progressRevision(List.of(w))).isEqualTo(-1);
        hub.syncUnsynced();
        assertThat(hub.progressRevision(List.of(w))).isEqualTo(store.currentRevision());
    }
}
