package dev.skiff.store.mvcc;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;

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
        store.lock().readLock().lock();
        try {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeLong(store.currentRevisionLocked());
            out.writeLong(store.compactedRevisionLocked());
            out.writeInt(store.historyLocked().size());
            for (Map.Entry<Revision, StoredKv> e : store.historyLocked().entrySet()) {
                out.writeLong(e.getKey().main());
                out.writeLong(e.getKey().sub());
                out.writeBoolean(e.getValue().tombstone());
                byte[] kv = e.getValue().kv().toByteArray();
                out.writeInt(kv.length);
                out.write(kv);
            }
        } finally {
            store.lock().readLock().unlock();
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
