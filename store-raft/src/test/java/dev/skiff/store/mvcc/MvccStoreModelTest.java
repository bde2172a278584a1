package dev.skiff.store.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.mvcc.Event;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Random writes and compactions against a model that keeps the whole key space at every
 * revision: reads at any revision, and events with their prev_kv, must match the model;
 * compacting must not change any answer at or after the compacted revision, and neither
 * must a snapshot taken after it.
 */
class MvccStoreModelTest {
    private static final ByteString ALL_FROM = b("/");
    private static final ByteString ALL_END = b("0");

    private final MvccStore store = new MvccStore();
    private final Random random = new Random(7);
    /** The key space after each revision: values as "value/create/version/lease". */
    private final Map<Long, TreeMap<String, String>> model = new HashMap<>();

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Test
    void readsAndEventsMatchTheModelBeforeAndAfterEachCompaction() {
        model.put(1L, new TreeMap<>());
        long compacted = 0;
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 100; i++) {
                writeRandom();
            }
            long current = store.currentRevision();
            long newCompact = compacted + 1 + random.nextInt((int) (current - compacted));
            List<Event> eventsBefore = store.events(newCompact + 1, current);
            store.compact(newCompact);
            compacted = newCompact;
            assertThat(store.events(newCompact + 1, current)).isEqualTo(eventsBefore);
            MvccStore restored = snapshotRoundTrip(store);
            assertThat(restored.events(newCompact + 1, current)).isEqualTo(eventsBefore);
            for (long rev = compacted; rev <= current; rev++) {
                assertThat(view(store.range(KeyRange.of(ALL_FROM, ALL_END), rev, 0).kvs()))
                        .as("keys at revision %d after compacting to %d", rev, compacted)
                        .isEqualTo(model.get(rev));
                assertThat(view(restored.range(KeyRange.of(ALL_FROM, ALL_END), rev, 0).kvs()))
                        .as("keys at revision %d in a snapshot taken after compacting to %d", rev, compacted)
                        .isEqualTo(model.get(rev));
            }
        }
        assertThat(store.historySize()).isLessThan((int) store.currentRevision());
    }

    private static MvccStore snapshotRoundTrip(MvccStore source) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            MvccSnapshot.write(source, new DataOutputStream(bytes));
            MvccStore copy = new MvccStore();
            MvccSnapshot.read(copy, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeRandom() {
        TreeMap<String, String> next;
        long rev;
        List<Event> events;
        TreeMap<String, String> before = model.get(store.currentRevision());
        try (WriteTxn tx = store.write()) {
            rev = tx.revision();
            next = new TreeMap<>(before);
            int ops = random.nextInt(4) == 0 ? 2 : 1; // sometimes two changes in one revision
            List<String> touched = new ArrayList<>();
            for (int op = 0; op < ops; op++) {
                String key = "/k" + random.nextInt(40);
                if (touched.contains(key)) {
                    continue;
                }
                touched.add(key);
                if (random.nextInt(4) == 0) {
                    tx.deleteRange(KeyRange.of(b(key), ByteString.EMPTY));
                    next.remove(key);
                } else {
                    String value = "v" + rev + "." + op;
                    long lease = random.nextInt(3);
                    tx.put(b(key), b(value), lease);
                    String prev = before.get(key);
                    long create = prev == null ? rev : Long.parseLong(prev.split("/")[1]);
                    long version = prev == null ? 1 : Long.parseLong(prev.split("/")[2]) + 1;
                    next.put(key, value + "/" + create + "/" + version + "/" + lease);
                }
            }
            events = tx.events();
        }
        long visible = events.isEmpty() ? rev - 1 : rev;
        model.put(visible, events.isEmpty() ? before : next);
        for (Event e : events) {
            String key = e.getKv().getKey().toStringUtf8();
            String prev = before.get(key);
            assertThat(e.hasPrevKv() ? render(e.getPrevKv()) : null).as("prev_kv of %s at %d", key, rev).isEqualTo(prev);
        }
    }

    private static TreeMap<String, String> view(List<KeyValue> kvs) {
        TreeMap<String, String> m = new TreeMap<>();
        for (KeyValue kv : kvs) {
            m.put(kv.getKey().toStringUtf8(), render(kv));
        }
        return m;
    }

    private static String render(KeyValue kv) {
        return kv.getValue().toStringUtf8() + "/" + kv.getCreateRevision() + "/" + kv.getVersion() + "/" + kv.getLease();
    }
}
