package dev.skiff.store.mvcc;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.mvcc.Event;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The single write transaction of one request: every change gets revision
 * {@code (current+1, sub)}; reads inside it see its own changes. {@link #close()}
 * publishes the new revision (only if something changed) and releases the write lock.
 * Owned by the one thread that opened it.
 */
public final class WriteTxn implements AutoCloseable {
    private final MvccStore store;
    private final long revision;
    private final List<Event> events = new ArrayList<>();
    private long sub;
    private boolean closed;

    WriteTxn(MvccStore store) {
        this.store = store;
        this.revision = store.currentRevisionLocked() + 1;
    }

    /** The revision this transaction writes at. */
    public long revision() {
        return revision;
    }

    /** The revision visible after this transaction: its own if it changed anything. */
    public long resultRevision() {
        return events.isEmpty() ? revision - 1 : revision;
    }

    /** Puts the key; returns the previous value or null. */
    public KeyValue put(ByteString key, ByteString value, long lease) {
        StoredKv before = store.latestLocked(key, revision);
        KeyValue prev = MvccStore.live(before);
        // the versions of a key share one copy of it (Kubernetes rewrites the same keys all day)
        ByteString heldKey = before == null ? key : before.key();
        StoredKv v = StoredKv.put(revision, sub++, heldKey, value,
                prev == null ? revision : prev.getCreateRevision(), prev == null ? 1 : prev.getVersion() + 1, lease);
        store.record(v);
        Event.Builder e = Event.newBuilder().setType(Event.EventType.PUT).setKv(v.toKeyValue());
        if (prev != null) {
            e.setPrevKv(prev);
        }
        events.add(e.build());
        return prev;
    }

    /** Deletes every live key of the range; returns their values before deletion. */
    public List<KeyValue> deleteRange(KeyRange range) {
        List<KeyValue> victims = store.rangeLocked(range, revision, 0).kvs();
        for (KeyValue prev : victims) {
            StoredKv tomb = StoredKv.tombstone(revision, sub++, prev.getKey());
            store.record(tomb);
            events.add(Event.newBuilder().setType(Event.EventType.DELETE).setKv(tomb.toKeyValue()).setPrevKv(prev).build());
        }
        return victims;
    }

    /** A range read that sees this transaction's own changes. */
    public RangeResult range(KeyRange range, long limit) {
        return store.rangeLocked(range, revision, limit);
    }

    /** The changes made so far, in order. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!events.isEmpty()) {
            store.advanceTo(revision);
        }
        store.lock().writeLock().unlock();
    }
}
