package dev.skiff.store.mvcc;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import java.nio.ByteBuffer;
import java.util.Map;
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
            for (Map.Entry<Revision, StoredKv> e
                    : store.historyLocked().headMap(new Revision(rev, Long.MAX_VALUE), true).entrySet()) {
                h.add(e.getKey(), e.getValue());
            }
            return new Result((int) h.crc.getValue(), rev, store.compactedRevisionLocked());
        } finally {
            store.lock().readLock().unlock();
        }
    }

    private void add(Revision rev, StoredKv stored) {
        KeyValue kv = stored.kv();
        longs.clear();
        longs.putLong(rev.main()).putLong(rev.sub()).put((byte) (stored.tombstone() ? 1 : 0))
                .putLong(kv.getCreateRevision()).putLong(kv.getModRevision()).putLong(kv.getVersion())
                .putLong(kv.getLease());
        crc.update(longs.array(), 0, longs.position());
        lengthPrefixed(kv.getKey());
        lengthPrefixed(kv.getValue());
    }

    private void lengthPrefixed(ByteString bytes) {
        longs.clear();
        longs.putLong(bytes.size());
        crc.update(longs.array(), 0, Long.BYTES);
        crc.update(bytes.asReadOnlyByteBuffer());
    }
}
