package dev.skiff.store.raft;

import dev.skiff.proto.etcd.MemberAttributes;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replicated member attributes (name, client URLs) that members publish once they run,
 * as etcd's publish step; which members exist is Ratis' configuration. Changed only by
 * the apply thread; read from any thread (synchronized).
 */
public final class MemberRegistry {
    // @GuardedBy("this")
    private final TreeMap<Long, MemberAttributes> byId = new TreeMap<>();

    public synchronized void publish(MemberAttributes a) {
        byId.put(a.getMemberId(), a);
    }

    public synchronized MemberAttributes get(long memberId) {
        return byId.get(memberId);
    }

    public synchronized Map<Long, MemberAttributes> all() {
        return Map.copyOf(byId);
    }

    public synchronized void write(DataOutputStream out) throws IOException {
        out.writeInt(byId.size());
        for (MemberAttributes a : byId.values()) {
            byte[] b = a.toByteArray();
            out.writeInt(b.length);
            out.write(b);
        }
    }

    public synchronized void read(DataInputStream in) throws IOException {
        byId.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            MemberAttributes a = MemberAttributes.parseFrom(b);
            byId.put(a.getMemberId(), a);
        }
    }
}
