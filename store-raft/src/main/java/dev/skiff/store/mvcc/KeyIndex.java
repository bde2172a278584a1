package dev.skiff.store.mvcc;

import java.util.Arrays;

/**
 * The versions of one key, oldest first (tombstones included). Starts with room for one:
 * most keys are written once or a few times, and every key's index lives on the heap.
 * Not thread-safe: guarded by {@link MvccStore}'s lock.
 */
final class KeyIndex {
    private StoredKv[] versions = new StoredKv[1];
    private int size;

    void add(StoredKv v) {
        if (size == versions.length) {
            versions = Arrays.copyOf(versions, size * 2);
        }
        versions[size++] = v;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The newest version whose main revision is at most {@code atMain}, or null. */
    StoredKv latestAt(long atMain) {
        int i = positionAt(atMain);
        return i < 0 ? null : versions[i];
    }

    /** The version just before {@code v} for this key, or null. */
    StoredKv before(StoredKv v) {
        int i = indexOf(v);
        return i > 0 ? versions[i - 1] : null;
    }

    /**
     * Forgets every version older than the newest one at or before {@code atMain}, and that
     * one too when it is a tombstone: etcd's compaction of one key.
     */
    void compactTo(long atMain) {
        int keep = positionAt(atMain);
        if (keep < 0) {
            return;
        }
        int from = versions[keep].tombstone() ? keep + 1 : keep;
        if (from == 0) {
            return;
        }
        versions = Arrays.copyOfRange(versions, from, Math.max(from + 1, size));
        size -= from;
    }

    /** Whether this key still holds {@code v} (the very entry). */
    boolean holds(StoredKv v) {
        return indexOf(v) >= 0;
    }

    /** Position of {@code v} itself (several versions may share its main revision), or -1. */
    private int indexOf(StoredKv v) {
        for (int i = positionAt(v.main()); i >= 0 && versions[i].main() == v.main(); i--) {
            if (versions[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** Position of the newest version with main revision at most {@code atMain}, or -1. */
    private int positionAt(long atMain) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (versions[mid].main() <= atMain) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}
