package dev.skiff.store.mvcc;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * etcd's HashKV for this store: a CRC-32C over every version the history holds up to a
 * revision (revision, tombstone flag, key, value and version fields, in revision order).
 * Members that applied the same log hold the same history (compaction and snapshots
 * included), so equal revisions must give equal hashes; a difference means a member's
 * data diverged. The values are Skiff's own and are not comparable with etcd's.
 */
public final class HistoryHash {
    /** The hash of the history up to {@code revision}, and the compaction it starts after. */
    public record Result(int hash, long revision, long compactRevision) {
    }

    private final CRC32C crc = new CRC32C();
    private final ByteBuffer longs = ByteBuffer.allocate(6 * Long.BYTES + 1);

    private HistoryHash() {
    }

    /** {@code revision} 0 or less: the newest. Fails as etcd does for compacted or future revisions. */
    public static Result of(MvccStore store, long revision) {
        store.lock().readLock().lock();
        try {
            long rev = revision <= 0 ? store.currentRevisionLocked() : revision;
            store.checkReadable(rev);
            HistoryHash h = new HistoryHash();
            History history = store.historyLocked();
            for (int i = 0; i < history.size() && history.get(i).main() <= rev; i++) {
                h.add(history.get(i));
            }
            return new Result((int) h.crc.getValue(), rev, store.compactedRevisionLocked());
        } finally {
            store.lock().readLock().unlock();
        }
    }

    private void add(StoredKv v) {
        longs.clear();
        longs.putLong(v.main()).putLong(v.sub()).put((byte) (v.tombstone() ? 1 : 0))
                .putLong(v.createRevision()).putLong(v.main()).putLong(v.version())
                .putLong(v.lease());
        crc.update(longs.array(), 0, longs.position());
        lengthPrefixed(v.key());
        lengthPrefixed(v.value());
    }

    private void lengthPrefixed(ByteString bytes) {
        longs.clear();
        longs.putLong(bytes.size());
        crc.update(longs.array(), 0, Long.BYTES);
        crc.update(bytes.asReadOnlyByteBuffer());
    }
}
