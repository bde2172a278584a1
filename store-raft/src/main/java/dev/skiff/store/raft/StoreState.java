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

/**
 * Everything the Raft log replicates: the key space, leases and member attributes,
 * with one snapshot format for all three (magic, version, then each part in turn).
 */
public final class StoreState {
    private static final int MAGIC = 0x534b5354; // "SKST"
    private static final int FORMAT = 1;

    private final MvccStore mvcc;
    private final Lessor lessor;
    private final MemberRegistry members;
    private final KvApplier applier;

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

    /** Writes a consistent image; the caller keeps writers out (the apply thread calls this). */
    public void write(DataOutputStream out) throws IOException {
        capture().write(out);
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
        if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
            throw new IOException("not a Skiff store snapshot (bad magic or format version)");
        }
        MvccSnapshot.read(mvcc, in);
        lessor.read(in);
        members.read(in);
    }
}
