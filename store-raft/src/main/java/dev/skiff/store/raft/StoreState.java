package dev.skiff.store.raft;

import dev.skiff.store.apply.KvApplier;
import dev.skiff.store.lease.Lessor;
import dev.skiff.store.mvcc.MvccSnapshot;
import dev.skiff.store.mvcc.MvccStore;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Everything the Raft log replicates: the key space, leases and member attributes,
 * with one snapshot format for all three (magic, version, then each part in turn).
 *
 * <p>Threading: the apply thread changes it, one log entry at a time ({@link #change}), and
 * loads snapshots ({@link #read}); any thread reads the parts, each thread-safe on its own. An
 * image of all three taken off the apply thread ({@link #write}) waits for the entry being
 * applied, so that it never holds a key whose lease came in a later entry, or the reverse.
 */
public final class StoreState {
    private static final int MAGIC = 0x534b5354; // "SKST"
    private static final int FORMAT = 1;

    private final MvccStore mvcc;
    private final Lessor lessor;
    private final MemberRegistry members;
    private final KvApplier applier;
    /** Held while one log entry is applied or a snapshot loaded, and while {@link #write} captures. */
    private final ReentrantLock changing = new ReentrantLock();

    public StoreState(MvccStore mvcc, Lessor lessor, MemberRegistry members) {
        this.mvcc = mvcc;
        this.lessor = lessor;
        this.members = members;
        this.applier = new KvApplier(mvcc, lessor);
    }

    public MvccStore mvcc() {
        return mvcc;
    }

    public Lessor lessor() {
        return lessor;
    }

    public MemberRegistry members() {
        return members;
    }

    public KvApplier applier() {
        return applier;
    }

    /** Applies one log entry's change: {@link #write} waits for it to finish. Apply thread only. */
    public <T> T change(Supplier<T> entry) {
        changing.lock();
        try {
            return entry.get();
        } finally {
            changing.unlock();
        }
    }

    /**
     * Writes a consistent image, from any thread: captured between two log entries, serialized
     * after. Returns the revision it holds.
     */
    public long write(DataOutputStream out) throws IOException {
        Image image;
        changing.lock();
        try {
            image = capture();
        } finally {
            changing.unlock();
        }
        image.write(out);
        return image.mvcc().revision();
    }

    /**
     * A point-in-time copy of everything, consistent when taken on the apply thread (or
     * with writers otherwise kept out); cheap: no serialization of the key space.
     */
    public Image capture() {
        return new Image(MvccSnapshot.capture(mvcc), bytes(lessor::write), bytes(members::write));
    }

    /** What {@link #capture} took: the key space's image and the (small) leases and members, serialized. */
    public record Image(MvccSnapshot.Image mvcc, byte[] leases, byte[] members) {
        public void write(DataOutputStream out) throws IOException {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            mvcc.write(out);
            out.write(leases);
            out.write(members);
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] bytes(Writer w) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            w.write(new DataOutputStream(b));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return b.toByteArray();
    }

    public void read(DataInputStream in) throws IOException {
        changing.lock();
        try {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
                throw new IOException("not a Skiff store snapshot (bad magic or format version)");
            }
            MvccSnapshot.read(mvcc, in);
            lessor.read(in);
            members.read(in);
        } finally {
            changing.unlock();
        }
    }
}
