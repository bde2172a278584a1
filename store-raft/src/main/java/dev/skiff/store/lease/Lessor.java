package dev.skiff.store.lease;

import com.google.protobuf.ByteString;
import dev.skiff.store.StoreError;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Leases (etcd's {@code lease/lessor.go}). Two kinds of state live here:
 * <ul>
 *   <li>replicated: which leases exist, their TTL and attached keys; changed only by the
 *       apply thread ({@link #grant}, {@link #revoke}, {@link #attach}, {@link #detach}),
 *       so every member holds the same and it is part of snapshots;</li>
 *   <li>local: each lease's expiry instant, meaningful only on the primary (the Raft
 *       leader). Keep-alives renew it there without a log entry; the leader's checker
 *       turns {@link #expired()} leases into replicated revokes. {@link #promote()} gives a
 *       new leader's leases a full TTL again instead of expiring them all at once.</li>
 * </ul>
 * Thread-safe: every method is synchronized (apply, gRPC and checker threads call in).
 */
public final class Lessor {
    /** etcd's maximum lease TTL in seconds. */
    public static final long MAX_TTL_SECONDS = 9_000_000_000L;
    private static final Duration REVOKE_RETRY = Duration.ofSeconds(3);

    private final Clock clock;
    private final long minTtlSeconds;
    // @GuardedBy("this")
    private final TreeMap<Long, Entry> leases = new TreeMap<>();
    // @GuardedBy("this")
    private boolean primary;

    private static final class Entry {
        final long id;
        final long ttl;
        final TreeSet<ByteString> keys = new TreeSet<>(ByteString.unsignedLexicographicalComparator());
        Instant expiry = Instant.MAX;

        Entry(long id, long ttl) {
            this.id = id;
            this.ttl = ttl;
        }
    }

    public Lessor(Clock clock, long minTtlSeconds) {
        this.clock = clock;
        this.minTtlSeconds = minTtlSeconds;
    }

    /** Creates a lease; TTLs under the minimum are raised to it. Returns the effective TTL. */
    public synchronized long grant(long id, long ttlSeconds) {
        if (ttlSeconds > MAX_TTL_SECONDS) {
            throw StoreError.LEASE_TTL_TOO_LARGE.exception();
        }
        if (leases.containsKey(id)) {
            throw StoreError.LEASE_EXISTS.exception();
        }
        Entry e = new Entry(id, Math.max(ttlSeconds, minTtlSeconds));
        if (primary) {
            e.expiry = clock.instant().plusSeconds(e.ttl);
        }
        leases.put(id, e);
        return e.ttl;
    }

    /** Removes the lease; returns the keys that were attached (the caller deletes them). */
    public synchronized List<ByteString> revoke(long id) {
        Entry e = leases.remove(id);
        if (e == null) {
            throw StoreError.LEASE_NOT_FOUND.exception();
        }
        return new ArrayList<>(e.keys);
    }

    public synchronized boolean exists(long id) {
        return leases.containsKey(id);
    }

    public synchronized void attach(long id, ByteString key) {
        Entry e = leases.get(id);
        if (e != null) {
            e.keys.add(key);
        }
    }

    public synchronized void detach(long id, ByteString key) {
        Entry e = leases.get(id);
        if (e != null) {
            e.keys.remove(key);
        }
    }

    /** Keep-alive: only the primary renews. Returns the TTL granted again. */
    public synchronized long renew(long id) {
        if (!primary) {
            throw StoreError.NOT_LEADER.exception();
        }
        Entry e = leases.get(id);
        if (e == null) {
            throw StoreError.LEASE_NOT_FOUND.exception();
        }
        e.expiry = clock.instant().plusSeconds(e.ttl);
        return e.ttl;
    }

    /** The lease with its remaining seconds (-1 if already expired), or null when unknown. */
    public synchronized Lease lookup(long id) {
        Entry e = leases.get(id);
        if (e == null) {
            return null;
        }
        long remaining;
        if (e.expiry.equals(Instant.MAX)) {
            remaining = e.ttl;
        } else {
            long ms = Duration.between(clock.instant(), e.expiry).toMillis();
            remaining = ms < 0 ? -1 : (ms + 999) / 1000;
        }
        return new Lease(e.id, e.ttl, remaining, List.copyOf(e.keys));
    }

    public synchronized List<Long> ids() {
        return List.copyOf(leases.keySet());
    }

    /**
     * Leases past their expiry, on the primary only. Each is reported again only after
     * a retry interval, so a revoke in flight is not proposed twice in a row.
     */
    public synchronized List<Long> expired() {
        if (!primary) {
            return List.of();
        }
        Instant now = clock.instant();
        List<Long> out = new ArrayList<>();
        for (Entry e : leases.values()) {
            if (e.expiry.isBefore(now)) {
                out.add(e.id);
                e.expiry = now.plus(REVOKE_RETRY);
            }
        }
        return out;
    }

    /** This member became leader: every lease gets its full TTL from now. */
    public synchronized void promote() {
        primary = true;
        Instant now = clock.instant();
        for (Entry e : leases.values()) {
            e.expiry = now.plusSeconds(e.ttl);
        }
    }

    /** This member is no longer leader: it stops deciding expiry. */
    public synchronized void demote() {
        primary = false;
        for (Entry e : leases.values()) {
            e.expiry = Instant.MAX;
        }
    }

    public synchronized boolean isPrimary() {
        return primary;
    }

    /** Writes the replicated part, in lease id order. */
    public synchronized void write(DataOutputStream out) throws IOException {
        out.writeInt(leases.size());
        for (Entry e : leases.values()) {
            out.writeLong(e.id);
            out.writeLong(e.ttl);
            out.writeInt(e.keys.size());
            for (ByteString k : e.keys) {
                out.writeInt(k.size());
                out.write(k.toByteArray());
            }
        }
    }

    /** Replaces the replicated part; a primary restarts every lease's full TTL. */
    public synchronized void read(DataInputStream in) throws IOException {
        leases.clear();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Entry e = new Entry(in.readLong(), in.readLong());
            int k = in.readInt();
            for (int j = 0; j < k; j++) {
                byte[] key = new byte[in.readInt()];
                in.readFully(key);
                e.keys.add(ByteString.copyFrom(key));
            }
            if (primary) {
                e.expiry = clock.instant().plusSeconds(e.ttl);
            }
            leases.put(e.id, e);
        }
    }

    /** For tests and status: lease count. */
    public synchronized int size() {
        return leases.size();
    }
}
