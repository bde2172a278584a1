package dev.skiff.store.raft;

import dev.skiff.proto.etcd.InternalRaftResponse;
import dev.skiff.store.StoreError;
import dev.skiff.store.StoreException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** How a Raft outcome reads as a store answer: its revision, its etcd error, a failure's cause. */
final class RaftOutcomes {
    private RaftOutcomes() {
    }

    /** The revision {@code r} was written at (the highest, for a batch); 0 if it wrote none. */
    static long lastRevision(InternalRaftResponse r) {
        return switch (r.getResponseCase()) {
            case PUT -> r.getPut().getHeader().getRevision();
            case DELETE_RANGE -> r.getDeleteRange().getHeader().getRevision();
            case TXN -> r.getTxn().getHeader().getRevision();
            case LEASE_GRANT -> r.getLeaseGrant().getHeader().getRevision();
            case LEASE_REVOKE -> r.getLeaseRevoke().getHeader().getRevision();
            case COMPACTION -> r.getCompaction().getHeader().getRevision();
            case BATCH -> r.getBatch().getResponsesList().stream().mapToLong(RaftOutcomes::lastRevision).max().orElse(0);
            default -> 0;
        };
    }

    /** {@code r}, or its error thrown as etcd's. */
    static InternalRaftResponse unwrap(InternalRaftResponse r) {
        if (r.hasError()) {
            StoreError code;
            try {
                code = StoreError.valueOf(r.getError().getCode());
            } catch (IllegalArgumentException e) {
                code = StoreError.INVALID_ARGUMENT;
            }
            throw code.exception(r.getError().getMessage());
        }
        return r;
    }

    /** A Ratis or transport failure as etcd's error. */
    static StoreException toStoreException(Throwable t) {
        if (t instanceof StoreException se) {
            return se;
        }
        if (t instanceof TimeoutException) {
            return StoreError.TIMEOUT.exception();
        }
        String name = t == null ? "" : t.getClass().getSimpleName();
        if (name.contains("NotLeader") || name.contains("LeaderNotReady") || name.contains("LeaderSteppingDown")) {
            return StoreError.NO_LEADER.exception();
        }
        if (name.contains("RaftRetryFailure") || name.contains("Timeout")) {
            return StoreError.TIMEOUT.exception();
        }
        return StoreError.TIMEOUT.exception("etcdserver: request failed: " + (t == null ? "unknown" : t.getMessage()));
    }

    /** {@code t} without the wrappers futures add. */
    static Throwable cause(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
