package dev.skiff.store.watch;

import dev.skiff.proto.etcd.mvcc.Event;
import dev.skiff.store.mvcc.KeyRange;

/**
 * One watch: its id within its stream, the key range, filters and options, where it
 * sends, and the next revision it must deliver. Mutable state is guarded by the
 * {@link WatchHub}'s lock.
 */
public final class Watcher {
    final long id;
    final KeyRange range;
    final boolean prevKv;
    final boolean noPut;
    final boolean noDelete;
    final boolean progressNotify;
    final WatchSink sink;
    // @GuardedBy("hub")
    long nextRevision;
    // @GuardedBy("hub")
    boolean synced;

    public Watcher(long id, KeyRange range, boolean prevKv, boolean noPut, boolean noDelete,
                   boolean progressNotify, WatchSink sink) {
        this.id = id;
        this.range = range;
        this.prevKv = prevKv;
        this.noPut = noPut;
        this.noDelete = noDelete;
        this.progressNotify = progressNotify;
        this.sink = sink;
    }

    public long id() {
        return id;
    }

    /** The event as this watcher should see it, or null when filtered out. */
    Event accept(Event e) {
        if (!range.contains(e.getKv().getKey())) {
            return null;
        }
        if ((noPut && e.getType() == Event.EventType.PUT) || (noDelete && e.getType() == Event.EventType.DELETE)) {
            return null;
        }
        return prevKv || !e.hasPrevKv() ? e : e.toBuilder().clearPrevKv().build();
    }
}
