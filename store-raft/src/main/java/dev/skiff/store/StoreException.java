package dev.skiff.store;

/** A store operation refused with one of etcd's errors; expected, so it carries no stack trace. */
public final class StoreException extends RuntimeException {
    private final StoreError error;

    public StoreException(StoreError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public StoreError error() {
        return error;
    }
}
