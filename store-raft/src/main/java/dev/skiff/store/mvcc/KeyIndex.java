package dev.skiff.store.mvcc;

import java.util.ArrayList;
import java.util.List;

/**
 * The revisions at which one key changed, oldest first; whether a revision is a
 * tombstone is recorded in the history it points to. Not thread-safe: guarded by
 * {@link MvccStore}'s lock.
 */
final class KeyIndex {
    private final ArrayList<Revision> revisions = new ArrayList<>();

    void add(Revision r) {
        revisions.add(r);
    }

    boolean isEmpty() {
        return revisions.isEmpty();
    }

    /** The newest revision whose main is at most {@code atMain}, or null. */
    Revision latestAt(long atMain) {
        int lo = 0;
        int hi = revisions.size() - 1;
        Revision found = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Revision r = revisions.get(mid);
            if (r.main() <= atMain) {
                found = r;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The revision just before {@code r} for this key, or null. */
    Revision before(Revision r) {
        int i = java.util.Collections.binarySearch(revisions, r);
        return i > 0 ? revisions.get(i - 1) : null;
    }

    /**
     * Drops every revision older than the newest one at or before {@code atMain};
     * returns the dropped ones. The kept boundary revision is returned to the caller
     * through {@link #latestAt} so it can drop it too when it is a tombstone.
     */
    List<Revision> compactBefore(long atMain) {
        Revision keep = latestAt(atMain);
        if (keep == null) {
            return List.of();
        }
        int idx = revisions.indexOf(keep);
        List<Revision> dropped = new ArrayList<>(revisions.subList(0, idx));
        revisions.subList(0, idx).clear();
        return dropped;
    }

    void remove(Revision r) {
        revisions.remove(r);
    }
}
