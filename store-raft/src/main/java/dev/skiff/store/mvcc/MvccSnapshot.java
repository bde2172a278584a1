package dev.skiff.store.mvcc;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.NavigableMap;

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
     * values are immutable), taken under the read lock in time proportional to the number
     * of versions, with no serialization; {@link Image#write} can then run on any thread
     * while the store moves on.
     */
    public static Image capture(MvccStore store) {
        store.lock().readLock().lock();
        try {
            NavigableMap<Revision, StoredKv> history = store.historyLocked();
            Revision[] revisions = new Revision[history.size()];
            StoredKv[] kvs = new StoredKv[revisions.length];
            int i = 0;
            // copied key by key: TreeMap reuses its entry objects when it deletes, so holding them is unsafe
            for (Map.Entry<Revision, StoredKv> e : history.entrySet()) {
                revisions[i] = e.getKey();
                kvs[i++] = e.getValue();
            }
            return new Image(store.currentRevisionLocked(), store.compactedRevisionLocked(), revisions, kvs);
        } finally {
            store.lock().readLock().unlock();
        }
    }

    /** What {@link #capture} took; writes the snapshot format. */
    public static final class Image {
        private final long current;
        private final long compacted;
        private final Revision[] revisions;
        private final StoredKv[] kvs;

        private Image(long current, long compacted, Revision[] revisions, StoredKv[] kvs) {
            this.current = current;
            this.compacted = compacted;
            this.revisions = revisions;
            this.kvs = kvs;
        }

        public long revision() {
            return current;
        }

        public void write(DataOutputStream out) throws IOException {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeLong(current);
            out.writeLong(compacted);
            out.writeInt(revisions.length);
            for (int i = 0; i < revisions.length; i++) {
                out.writeLong(revisions[i].main());
                out.writeLong(revisions[i].sub());
                out.writeBoolean(kvs[i].tombstone());
                byte[] kv = kvs[i].kv().toByteArray();
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
                Revision rev = new Revision(in.readLong(), in.readLong());
                boolean tomb = in.readBoolean();
                byte[] kv = new byte[in.readInt()];
                in.readFully(kv);
                store.record(rev, KeyValue.parseFrom(ByteString.copyFrom(kv)), tomb);
            }
        } finally {
            store.lock().writeLock().unlock();
        }
    }
}
