package dev.skiff.store.mvcc;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The deterministic snapshot format of an {@link MvccStore}: the same store always
 * writes the same bytes. Layout: magic, format version, current and compacted revision,
 * entry count, then each history entry in revision order (main, sub, tombstone flag,
 * length-prefixed {@code mvccpb.KeyValue}).
 */
public final class MvccSnapshot {
    private static final int MAGIC = 0x534b4d56; // "SKMV"
    private static final int FORMAT = 1;

    private MvccSnapshot() {
    }

    public static void write(MvccStore store, DataOutputStream out) throws IOException {
        capture(store).write(out);
    }

    /**
     * A point-in-time image of {@code store}: a copy of the history's references (its
     * values are immutable), one array copy under the read lock, with no serialization;
     * {@link Image#write} can then run on any thread while the store moves on.
     */
    public static Image capture(MvccStore store) {
        store.lock().readLock().lock();
        try {
            return new Image(store.currentRevisionLocked(), store.compactedRevisionLocked(), store.historyLocked().copy());
        } finally {
            store.lock().readLock().unlock();
        }
    }

    /** What {@link #capture} took; writes the snapshot format. */
    public static final class Image {
        private final long current;
        private final long compacted;
        private final StoredKv[] history;

        private Image(long current, long compacted, StoredKv[] history) {
            this.current = current;
            this.compacted = compacted;
            this.history = history;
        }

        public long revision() {
            return current;
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeLong(current);
            out.writeLong(compacted);
            out.writeInt(history.length);
            for (StoredKv v : history) {
                out.writeLong(v.main());
                out.writeLong(v.sub());
                out.writeBoolean(v.tombstone());
                byte[] kv = v.toKeyValue().toByteArray();
                out.writeInt(kv.length);
                out.write(kv);
            }
        }
    }

    /** Replaces the whole content of {@code store} with the snapshot's. */
    public static void read(MvccStore store, DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
            throw new IOException("not a Skiff MVCC snapshot (bad magic or format version)");
        }
        long current = in.readLong();
        long compacted = in.readLong();
        int n = in.readInt();
        store.lock().writeLock().lock();
        try {
            store.resetLocked(current, compacted);
            for (int i = 0; i < n; i++) {
                long main = in.readLong();
                long sub = in.readLong();
                boolean tomb = in.readBoolean();
                byte[] kv = new byte[in.readInt()];
                in.readFully(kv);
                KeyValue parsed = KeyValue.parseFrom(kv);
                StoredKv newest = store.latestLocked(parsed.getKey(), Long.MAX_VALUE);
                ByteString key = newest == null ? parsed.getKey() : newest.key(); // one copy per key, as when written
                store.record(new StoredKv(main, sub, key, parsed.getValue(), parsed.getCreateRevision(),
                        parsed.getVersion(), parsed.getLease(), tomb));
            }
        } finally {
            store.lock().writeLock().unlock();
        }
    }
}
