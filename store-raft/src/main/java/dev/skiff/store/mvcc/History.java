package dev.skiff.store.mvcc;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Every version the store holds, in revision order (etcd keeps these in bbolt, keyed by
 * revision). Writes only ever append, at a revision above all others, so an array that
 * grows is enough: no tree, and no map entry per version. Compaction filters it in place.
 * Not thread-safe: guarded by {@link MvccStore}'s lock.
 */
final class History {
    private static final int INITIAL_CAPACITY = 1024;

    private StoredKv[] entries = new StoredKv[INITIAL_CAPACITY];
    private int size;

    void append(StoredKv v) {
        if (size > 0 && !v.isAfter(entries[size - 1].main(), entries[size - 1].sub())) {
            throw new IllegalStateException("history out of order: revision " + v.main() + "." + v.sub()
                    + " after " + entries[size - 1].main() + "." + entries[size - 1].sub());
        }
        if (size == entries.length) {
            entries = Arrays.copyOf(entries, size * 2);
        }
        entries[size++] = v;
    }

    int size() {
        return size;
    }

    StoredKv get(int i) {
        return entries[i];
    }

    /** The position of the first entry whose main revision is at least {@code main} (size if none). */
    int firstAtOrAfter(long main) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries[mid].main() < main) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Keeps the entries {@code keep} accepts, in order; gives memory back when most are gone. */
    void retain(Predicate<StoredKv> keep) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (keep.test(entries[i])) {
                entries[kept++] = entries[i];
            }
        }
        Arrays.fill(entries, kept, size, null);
        size = kept;
        if (entries.length > INITIAL_CAPACITY && size < entries.length / 4) {
            entries = Arrays.copyOf(entries, Math.max(INITIAL_CAPACITY, size * 2));
        }
    }

    /** A copy of the entries (they are immutable), for a snapshot taken while writes go on. */
    StoredKv[] copy() {
        return Arrays.copyOf(entries, size);
    }

    void clear() {
        entries = new StoredKv[INITIAL_CAPACITY];
        size = 0;
    }
}
