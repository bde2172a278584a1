package dev.skiff.store.raft;

import dev.skiff.store.apply.KvApplier;
import dev.skiff.store.lease.Lessor;
import dev.skiff.store.mvcc.MvccSnapshot;
import dev.skiff.store.mvcc.MvccStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

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
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        MvccSnapshot.write(mvcc, out);
        lessor.write(out);
        members.write(out);
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
