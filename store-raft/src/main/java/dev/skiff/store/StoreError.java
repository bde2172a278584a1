package dev.skiff.store;

/**
 * Every error the store reports to a client, with etcd's exact message. The gRPC
 * status each one maps to lives in one table: {@code dev.skiff.store.grpc.ErrorMapper}.
 */
public enum StoreError {
    EMPTY_KEY("etcdserver: key is not provided"),
    KEY_NOT_FOUND("etcdserver: key not found"),
    VALUE_PROVIDED("etcdserver: value is provided"),
    LEASE_PROVIDED("etcdserver: lease is provided"),
    TOO_MANY_OPS("etcdserver: too many operations in txn request"),
    DUPLICATE_KEY("etcdserver: duplicate key given in txn request"),
    REQUEST_TOO_LARGE("etcdserver: request is too large"),
    COMPACTED("etcdserver: mvcc: required revision has been compacted"),
    FUTURE_REVISION("etcdserver: mvcc: required revision is a future revision"),
    LEASE_NOT_FOUND("etcdserver: requested lease not found"),
    LEASE_EXISTS("etcdserver: lease already exists"),
    LEASE_TTL_TOO_LARGE("etcdserver: too large lease TTL"),
    MEMBER_NOT_FOUND("etcdserver: member not found"),
    PEER_URL_EXISTS("etcdserver: Peer URLs already exists"),
    NOT_LEADER("etcdserver: not leader"),
    NO_LEADER("etcdserver: no leader"),
    TIMEOUT("etcdserver: request timed out"),
    INVALID_ARGUMENT("etcdserver: invalid argument"),
    NOT_CAPABLE("etcdserver: not capable");

    private final String message;

    StoreError(String message) {
        this.message = message;
    }

    /** etcd's message for this error, what clients such as etcdctl print and match. */
    public String message() {
        return message;
    }

    public StoreException exception() {
        return new StoreException(this, message);
    }

    public StoreException exception(String detail) {
        return new StoreException(this, detail);
    }
}
