package dev.skiff.store.watch;

import dev.skiff.proto.etcd.ResponseHeader;
import dev.skiff.proto.etcd.WatchResponse;
import dev.skiff.proto.etcd.mvcc.Event;
import dev.skiff.store.StoreException;
import dev.skiff.store.mvcc.MvccStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Delivers store changes to watchers (etcd's {@code watchable_store.go}), apart from the
 * MVCC core. A watcher is <em>synced</em> when it has seen everything up to the current
 * revision: the apply thread hands it new events directly through {@link #notify}. A
 * watcher that starts in the past, or whose bounded {@link WatchSink} was full
 * (etcd's "victim"), is <em>unsynced</em>: {@link #syncUnsynced()} replays its missing
 * revisions from the store's history in batches until it is synced again. A watcher
 * whose next revision was compacted away gets a response with {@code compact_revision}
 * and is removed. Every watcher sees each revision exactly once, in order.
 *
 * <p>Threading: all methods lock the hub; {@link #notify} is called by the apply thread
 * after its write transaction is closed (never under the store's write lock), so the
 * lock order is always hub, then store. A sink may send on the offering thread, and over an
 * in-process channel with direct executors the client's code then runs there too: a client
 * that cancels a watch from its onNext re-enters the hub. So the loops that offer walk a copy
 * of their set and skip the watchers removed meanwhile.
 */
public final class WatchHub {
    private static final long MAX_REVISIONS_PER_SYNC = 1000;

    private final MvccStore store;
    private final Supplier<ResponseHeader> headers;
    // @GuardedBy("this")
    private final Set<Watcher> synced = new LinkedHashSet<>();
    // @GuardedBy("this")
    private final Set<Watcher> unsynced = new LinkedHashSet<>();

    /** {@code headers} gives the cluster/member/term part of response headers. */
    public WatchHub(MvccStore store, Supplier<ResponseHeader> headers) {
        this.store = store;
        this.headers = headers;
    }

    /**
     * Adds a watcher starting at {@code startRevision} (0: after the current revision),
     * and queues its "created" response before any event.
     */
    public synchronized void add(Watcher w, long startRevision) {
        long current = store.currentRevision();
        w.nextRevision = startRevision <= 0 ? current + 1 : startRevision;
        if (w.nextRevision <= current) {
            w.synced = false;
            unsynced.add(w);
        } else {
            w.synced = true;
            synced.add(w);
        }
        // last: a client may cancel the watch as soon as it sees this (see the class comment)
        w.sink.sendControl(WatchResponse.newBuilder().setHeader(header(current))
                .setWatchId(w.id).setCreated(true).build());
    }

    public synchronized void remove(Watcher w) {
        synced.remove(w);
        unsynced.remove(w);
    }

    public synchronized void removeAll(Collection<Watcher> ws) {
        ws.forEach(this::remove);
    }

    /** The changes of revision {@code revision}, just applied. */
    public synchronized void notify(long revision, List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Watcher> fellBehind = new ArrayList<>();
        for (Watcher w : List.copyOf(synced)) {
            if (w.nextRevision > revision || !synced.contains(w)) {
                continue;
            }
            List<Event> mine = filter(w, events);
            if (!mine.isEmpty() && !w.sink.offerEvents(response(w, revision, mine))) {
                fellBehind.add(w);
                continue;
            }
            w.nextRevision = revision + 1;
        }
        for (Watcher w : fellBehind) {
            if (synced.remove(w)) {
                w.synced = false;
                unsynced.add(w);
            }
        }
    }

    /**
     * One catch-up step: each unsynced watcher gets the next batch of missing
     * revisions from history. Returns how many watchers are still unsynced.
     */
    public synchronized int syncUnsynced() {
        List<Watcher> done = new ArrayList<>();
        List<Watcher> gone = new ArrayList<>();
        long current = store.currentRevision();
        for (Watcher w : List.copyOf(unsynced)) {
            if (!unsynced.contains(w)) {
                continue;
            }
            long to = Math.min(current, w.nextRevision + MAX_REVISIONS_PER_SYNC - 1);
            if (w.nextRevision <= to) {
                List<Event> events;
                try {
                    events = store.events(w.nextRevision, to);
                } catch (StoreException compacted) {
                    long compactRev = store.compactedRevision();
                    w.sink.sendControl(WatchResponse.newBuilder().setHeader(header(current)).setWatchId(w.id)
                            .setCompactRevision(compactRev).setCanceled(true)
                            .setCancelReason(compacted.getMessage()).build());
                    gone.add(w);
                    continue;
                }
                List<Event> mine = filter(w, events);
                if (!mine.isEmpty() && !w.sink.offerEvents(response(w, to, mine))) {
                    continue;
                }
                w.nextRevision = to + 1;
            }
            if (w.nextRevision > current) {
                done.add(w);
            }
        }
        for (Watcher w : gone) {
            unsynced.remove(w);
        }
        for (Watcher w : done) {
            if (unsynced.remove(w)) {
                w.synced = true;
                synced.add(w);
            }
        }
        return unsynced.size();
    }

    /** Periodic progress: an empty response at the current revision to each synced progress_notify watcher. */
    public synchronized void progressNotify() {
        long current = store.currentRevision();
        for (Watcher w : List.copyOf(synced)) {
            if (w.progressNotify && w.sink.pending() == 0 && synced.contains(w)) {
                w.sink.offerEvents(WatchResponse.newBuilder().setHeader(header(current)).setWatchId(w.id).build());
            }
        }
    }

    /**
     * A progress request for one stream: the current revision if every watcher of the
     * stream is synced (so no event at or before it is still to come), else -1.
     */
    public synchronized long progressRevision(Collection<Watcher> stream) {
        for (Watcher w : stream) {
            if (!w.synced) {
                return -1;
            }
        }
        return store.currentRevision();
    }

    /** After the store was replaced by a snapshot: every watcher catches up from history. */
    public synchronized void markAllUnsynced() {
        for (Watcher w : synced) {
            w.synced = false;
            unsynced.add(w);
        }
        synced.clear();
    }

    /** The store's current revision, for responses queued without one. */
    public long progressRevisionNow() {
        return store.currentRevision();
    }

    public synchronized int watcherCount() {
        return synced.size() + unsynced.size();
    }

    public ResponseHeader header(long revision) {
        return headers.get().toBuilder().setRevision(revision).build();
    }

    private WatchResponse response(Watcher w, long revision, List<Event> events) {
        return WatchResponse.newBuilder().setHeader(header(revision)).setWatchId(w.id).addAllEvents(events).build();
    }

    private static List<Event> filter(Watcher w, List<Event> events) {
        List<Event> out = new ArrayList<>(events.size());
        for (Event e : events) {
            Event a = w.accept(e);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }
}
