package dev.skiff.store.mvcc;

/**
 * A point in the store's history: {@code main} is the store revision of one write
 * request, {@code sub} orders the changes inside it (as etcd's {@code revision.go}).
 */
public record Revision(long main, long sub) implements Comparable<Revision> {
    @Override
    public int compareTo(Revision o) {
        int c = Long.compare(main, o.main);
        return c != 0 ? c : Long.compare(sub, o.sub);
    }
}
