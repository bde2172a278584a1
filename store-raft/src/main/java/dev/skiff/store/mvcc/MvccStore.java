package dev.skiff.store.mvcc;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.mvcc.Event;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import dev.skiff.store.StoreError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The multi-version key space (etcd's {@code server/storage/mvcc}): one global revision,
 * every change kept as a {@link StoredKv} version in the revision-ordered {@link History},
 * a per-key {@link KeyIndex} of the same versions, tombstones for deletions, and
 * compaction that forgets versions older than a revision. Pure: no Raft, no threads, no clock.
 *
 * <p>Threading: any number of readers; one writer at a time through {@link #write()},
 * which holds the write lock until {@link WriteTxn#close()}. In the replicated store the
 * only writer is the Raft apply thread.
 */
public final class MvccStore {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    // @GuardedBy("lock")
    private final TreeMap<ByteString, KeyIndex> index = new TreeMap<>(ByteString.unsignedLexicographicalComparator());
    // @GuardedBy("lock")
    private final History history = new History();
    // @GuardedBy("lock")
    private long currentRevision = 1;
    // @GuardedBy("lock")
    private long compactedRevision = 0;

    /** The newest revision; a fresh store is at revision 1, as etcd. */
    public long currentRevision() {
        lock.readLock().lock();
        try {
            return currentRevision;
        } finally {
            lock.readLock().unlock();
        }
    }

    public long compactedRevision() {
        lock.readLock().lock();
        try {
            return compactedRevision;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Number of versions held (a rough size measure for status). */
    public int historySize() {
        lock.readLock().lock();
        try {
            return history.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Keys of {@code range} as of {@code atRevision} (0 or less: the newest), at most
     * {@code limit} of them when it is positive; {@code count} is the whole range's size.
     */
    public RangeResult range(KeyRange range, long atRevision, long limit) {
        lock.readLock().lock();
        try {
            long rev = atRevision <= 0 ? currentRevision : atRevision;
            checkReadable(rev);
            return rangeLocked(range, rev, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The key's value at the newest revision, or null. */
    public KeyValue get(ByteString key) {
        lock.readLock().lock();
        try {
            return getLocked(key, currentRevision);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * The changes of revisions {@code fromRevision..toRevision} (inclusive) in order, each
     * with its previous key-value, for watch replay. Fails with COMPACTED when
     * {@code fromRevision} is at or before the compacted revision.
     */
    public List<Event> events(long fromRevision, long toRevision) {
        lock.readLock().lock();
        try {
            if (fromRevision <= compactedRevision) {
                throw StoreError.COMPACTED.exception();
            }
            List<Event> out = new ArrayList<>();
            for (int i = history.firstAtOrAfter(fromRevision); i < history.size(); i++) {
                StoredKv v = history.get(i);
                if (v.main() > toRevision) {
                    break;
                }
                out.add(eventOf(v));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Starts the one write transaction at revision current+1; close it to commit. */
    public WriteTxn write() {
        lock.writeLock().lock();
        return new WriteTxn(this);
    }

    /**
     * Forgets every version older than the newest one at or before {@code revision}, and
     * keys whose newest such version is a deletion (logical and physical at once).
     */
    public void compact(long revision) {
        lock.writeLock().lock();
        try {
            if (revision <= compactedRevision) {
                throw StoreError.COMPACTED.exception();
            }
            if (revision > currentRevision) {
                throw StoreError.FUTURE_REVISION.exception();
            }
            Iterator<KeyIndex> it = index.values().iterator();
            while (it.hasNext()) {
                KeyIndex ki = it.next();
                ki.compactTo(revision);
                if (ki.isEmpty()) {
                    it.remove();
                }
            }
            history.retain(v -> v.main() > revision || stillIndexed(v));
            compactedRevision = revision;
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---- used by WriteTxn and MvccSnapshot under the write lock ----

    ReentrantReadWriteLock lock() {
        return lock;
    }

    long currentRevisionLocked() {
        return currentRevision;
    }

    void advanceTo(long revision) {
        currentRevision = revision;
    }

    RangeResult rangeLocked(KeyRange range, long rev, long limit) {
        List<KeyValue> kvs = new ArrayList<>();
        long count = 0;
        if (range.isSingleKey()) {
            KeyValue kv = getLocked(range.key(), rev);
            if (kv != null) {
                kvs.add(kv);
                count = 1;
            }
            return new RangeResult(kvs, count, rev);
        }
        if (range.isEmpty()) {
            return new RangeResult(kvs, 0, rev);
        }
        NavigableMap<ByteString, KeyIndex> slice = range.isUnbounded()
                ? index.tailMap(range.from(), true)
                : index.subMap(range.from(), true, range.end(), false);
        for (Map.Entry<ByteString, KeyIndex> e : slice.entrySet()) {
            KeyValue kv = live(e.getValue().latestAt(rev));
            if (kv == null) {
                continue;
            }
            count++;
            if (limit <= 0 || kvs.size() < limit) {
                kvs.add(kv);
            }
        }
        return new RangeResult(kvs, count, rev);
    }

    KeyValue getLocked(ByteString key, long rev) {
        return live(latestLocked(key, rev));
    }

    /** The key's newest version at or before {@code rev}, tombstones included, or null. */
    StoredKv latestLocked(ByteString key, long rev) {
        KeyIndex ki = index.get(key);
        return ki == null ? null : ki.latestAt(rev);
    }

    /** Adds a version; it must come after every version already held. */
    void record(StoredKv v) {
        history.append(v);
        index.computeIfAbsent(v.key(), k -> new KeyIndex()).add(v);
    }

    History historyLocked() {
        return history;
    }

    long compactedRevisionLocked() {
        return compactedRevision;
    }

    void resetLocked(long current, long compacted) {
        index.clear();
        history.clear();
        currentRevision = current;
        compactedRevision = compacted;
    }

    /** The key-value a version shows to reads: none for a tombstone. */
    static KeyValue live(StoredKv v) {
        return v == null || v.tombstone() ? null : v.toKeyValue();
    }

    private boolean stillIndexed(StoredKv v) {
        KeyIndex ki = index.get(v.key());
        return ki != null && ki.holds(v);
    }

    private Event eventOf(StoredKv v) {
        Event.Builder e = Event.newBuilder()
                .setType(v.tombstone() ? Event.EventType.DELETE : Event.EventType.PUT)
                .setKv(v.toKeyValue());
        KeyIndex ki = index.get(v.key());
        StoredKv prev = ki == null ? null : ki.before(v);
        if (prev != null && !prev.tombstone()) {
            e.setPrevKv(prev.toKeyValue());
        }
        return e.build();
    }

    // @GuardedBy("lock") (read or write)
    void checkReadable(long rev) {
        if (rev > currentRevision) {
            throw StoreError.FUTURE_REVISION.exception();
        }
        if (rev < compactedRevision) {
            throw StoreError.COMPACTED.exception();
        }
    }
}
