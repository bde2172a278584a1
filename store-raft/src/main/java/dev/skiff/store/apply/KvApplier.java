package dev.skiff.store.apply;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.Compare;
import dev.skiff.proto.etcd.CompactionRequest;
import dev.skiff.proto.etcd.CompactionResponse;
import dev.skiff.proto.etcd.DeleteRangeRequest;
import dev.skiff.proto.etcd.DeleteRangeResponse;
import dev.skiff.proto.etcd.LeaseGrantRequest;
import dev.skiff.proto.etcd.LeaseGrantResponse;
import dev.skiff.proto.etcd.LeaseRevokeRequest;
import dev.skiff.proto.etcd.LeaseRevokeResponse;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.PutResponse;
import dev.skiff.proto.etcd.RangeRequest;
import dev.skiff.proto.etcd.RangeResponse;
import dev.skiff.proto.etcd.RequestOp;
import dev.skiff.proto.etcd.ResponseHeader;
import dev.skiff.proto.etcd.ResponseOp;
import dev.skiff.proto.etcd.TxnRequest;
import dev.skiff.proto.etcd.TxnResponse;
import dev.skiff.proto.etcd.mvcc.Event;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import dev.skiff.store.StoreError;
import dev.skiff.store.lease.Lessor;
import dev.skiff.store.mvcc.KeyRange;
import dev.skiff.store.mvcc.MvccStore;
import dev.skiff.store.mvcc.WriteTxn;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies etcd KV and lease requests to the {@link MvccStore} and {@link Lessor}
 * (etcd's {@code apply.go}): deterministic, so every Raft member computes the same.
 * Each write request is all-or-nothing: it is fully checked against the current state
 * (compares, leases, ignore_* rules) before anything changes. Responses carry a header
 * with the revision only; the server completes it.
 *
 * <p>Threading: writes from the single apply thread; {@link #range} from any thread.
 */
public final class KvApplier {
    private final MvccStore store;
    private final Lessor lessor;

    public KvApplier(MvccStore store, Lessor lessor) {
        this.store = store;
        this.lessor = lessor;
    }

    /** A write's response plus the events it produced (for watchers). */
    public record Applied<T>(T response, List<Event> events, long revision) {
    }

    public RangeResponse range(RangeRequest r) {
        return RangeQuery.run(r, (range, limit) -> store.range(range, r.getRevision(), limit));
    }

    public Applied<PutResponse> put(PutRequest r) {
        try (WriteTxn tx = store.write()) {
            checkPut(tx, r);
            PutResponse resp = doPut(tx, r);
            return finish(tx, resp);
        }
    }

    public Applied<DeleteRangeResponse> deleteRange(DeleteRangeRequest r) {
        try (WriteTxn tx = store.write()) {
            DeleteRangeResponse resp = doDelete(tx, r);
            return finish(tx, resp);
        }
    }

    public Applied<TxnResponse> txn(TxnRequest r) {
        try (WriteTxn tx = store.write()) {
            List<Boolean> path = new ArrayList<>();
            choosePath(tx, r, path);
            checkBranch(tx, r, path, new int[] {0});
            TxnResponse resp = doTxn(tx, r, path, new int[] {0});
            Applied<TxnResponse> applied = finish(tx, resp);
            return applied;
        }
    }

    public CompactionResponse compact(CompactionRequest r) {
        store.compact(r.getRevision());
        return CompactionResponse.newBuilder().setHeader(header(store.currentRevision())).build();
    }

    public LeaseGrantResponse leaseGrant(LeaseGrantRequest r) {
        long ttl = lessor.grant(r.getID(), r.getTTL());
        return LeaseGrantResponse.newBuilder()
                .setHeader(header(store.currentRevision())).setID(r.getID()).setTTL(ttl).build();
    }

    /** Revokes the lease and deletes its keys in one revision. */
    public Applied<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest r) {
        try (WriteTxn tx = store.write()) {
            List<ByteString> keys = lessor.revoke(r.getID());
            for (ByteString k : keys) {
                tx.deleteRange(KeyRange.of(k, ByteString.EMPTY));
            }
            return finish(tx, LeaseRevokeResponse.newBuilder().build());
        }
    }

    // ---- internals, all under the write transaction ----

    private <T extends com.google.protobuf.Message> Applied<T> finish(WriteTxn tx, T resp) {
        long rev = tx.resultRevision();
        List<Event> events = tx.events();
        @SuppressWarnings("unchecked")
        T stamped = (T) resp.toBuilder().setField(
                resp.getDescriptorForType().findFieldByName("header"), header(rev)).build();
        return new Applied<>(stamped, events, rev);
    }

    private static ResponseHeader header(long rev) {
        return ResponseHeader.newBuilder().setRevision(rev).build();
    }

    private void checkPut(WriteTxn tx, PutRequest r) {
        if (r.getLease() != 0 && !lessor.exists(r.getLease())) {
            throw StoreError.LEASE_NOT_FOUND.exception();
        }
        if (r.getIgnoreValue() || r.getIgnoreLease()) {
            if (tx.range(KeyRange.of(r.getKey(), ByteString.EMPTY), 1).kvs().isEmpty()) {
                throw StoreError.KEY_NOT_FOUND.exception();
            }
        }
    }

    private PutResponse doPut(WriteTxn tx, PutRequest r) {
        KeyValue current = first(tx, r.getKey());
        ByteString value = r.getIgnoreValue() ? current.getValue() : r.getValue();
        long lease = r.getIgnoreLease() ? current.getLease() : r.getLease();
        KeyValue prev = tx.put(r.getKey(), value, lease);
        if (prev != null && prev.getLease() != 0 && prev.getLease() != lease) {
            lessor.detach(prev.getLease(), r.getKey());
        }
        if (lease != 0) {
            lessor.attach(lease, r.getKey());
        }
        PutResponse.Builder b = PutResponse.newBuilder();
        if (r.getPrevKv() && prev != null) {
            b.setPrevKv(prev);
        }
        return b.build();
    }

    private DeleteRangeResponse doDelete(WriteTxn tx, DeleteRangeRequest r) {
        List<KeyValue> deleted = tx.deleteRange(KeyRange.of(r.getKey(), r.getRangeEnd()));
        for (KeyValue kv : deleted) {
            if (kv.getLease() != 0) {
                lessor.detach(kv.getLease(), kv.getKey());
            }
        }
        DeleteRangeResponse.Builder b = DeleteRangeResponse.newBuilder().setDeleted(deleted.size());
        if (r.getPrevKv()) {
            b.addAllPrevKvs(deleted);
        }
        return b.build();
    }

    private KeyValue first(WriteTxn tx, ByteString key) {
        List<KeyValue> kvs = tx.range(KeyRange.of(key, ByteString.EMPTY), 1).kvs();
        return kvs.isEmpty() ? null : kvs.get(0);
    }

    /** Evaluates every compare, outer and nested, against the state before the txn. */
    private void choosePath(WriteTxn tx, TxnRequest r, List<Boolean> path) {
        boolean ok = r.getCompareList().stream().allMatch(c -> compare(tx, c));
        path.add(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            if (op.hasRequestTxn()) {
                choosePath(tx, op.getRequestTxn(), path);
            }
        }
    }

    private void checkBranch(WriteTxn tx, TxnRequest r, List<Boolean> path, int[] at) {
        boolean ok = path.get(at[0]++);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            switch (op.getRequestCase()) {
                case REQUEST_PUT -> checkPut(tx, op.getRequestPut());
                case REQUEST_RANGE -> checkRangeRevision(op.getRequestRange());
                case REQUEST_TXN -> checkBranch(tx, op.getRequestTxn(), path, at);
                default -> {
                }
            }
        }
    }

    private void checkRangeRevision(RangeRequest r) {
        long rev = r.getRevision();
        if (rev > store.currentRevision()) {
            throw StoreError.FUTURE_REVISION.exception();
        }
        if (rev > 0 && rev < store.compactedRevision()) {
            throw StoreError.COMPACTED.exception();
        }
    }

    private TxnResponse doTxn(WriteTxn tx, TxnRequest r, List<Boolean> path, int[] at) {
        boolean ok = path.get(at[0]++);
        TxnResponse.Builder b = TxnResponse.newBuilder().setSucceeded(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            ResponseOp.Builder rb = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> rb.setResponseRange(txnRange(tx, op.getRequestRange()));
                case REQUEST_PUT -> rb.setResponsePut(doPut(tx, op.getRequestPut()).toBuilder()
                        .setHeader(header(tx.revision())));
                case REQUEST_DELETE_RANGE -> rb.setResponseDeleteRange(doDelete(tx, op.getRequestDeleteRange())
                        .toBuilder().setHeader(header(tx.revision())));
                case REQUEST_TXN -> rb.setResponseTxn(doTxn(tx, op.getRequestTxn(), path, at).toBuilder()
                        .setHeader(header(tx.revision())));
                default -> {
                }
            }
            b.addResponses(rb);
        }
        return b.build();
    }

    private RangeResponse txnRange(WriteTxn tx, RangeRequest r) {
        if (r.getRevision() > 0) {
            return range(r);
        }
        return RangeQuery.run(r, tx::range);
    }

    private boolean compare(WriteTxn tx, Compare c) {
        List<KeyValue> kvs = tx.range(KeyRange.of(c.getKey(), c.getRangeEnd()), 0).kvs();
        if (kvs.isEmpty()) {
            if (c.getTarget() == Compare.CompareTarget.VALUE) {
                return false;
            }
            return compareOne(KeyValue.getDefaultInstance(), c);
        }
        return kvs.stream().allMatch(kv -> compareOne(kv, c));
    }

    private static boolean compareOne(KeyValue kv, Compare c) {
        int cmp = switch (c.getTarget()) {
            case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
            case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
            case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
            case VALUE -> KeyRange.compare(kv.getValue(), c.getValue());
            case LEASE -> Long.compare(kv.getLease(), c.getLease());
            default -> throw StoreError.INVALID_ARGUMENT.exception("etcdserver: unknown compare target");
        };
        return switch (c.getResult()) {
            case EQUAL -> cmp == 0;
            case NOT_EQUAL -> cmp != 0;
            case GREATER -> cmp > 0;
            case LESS -> cmp < 0;
            default -> throw StoreError.INVALID_ARGUMENT.exception("etcdserver: unknown compare result");
        };
    }
}
