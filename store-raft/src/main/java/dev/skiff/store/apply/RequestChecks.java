package dev.skiff.store.apply;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.DeleteRangeRequest;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.RangeRequest;
import dev.skiff.proto.etcd.RequestOp;
import dev.skiff.proto.etcd.TxnRequest;
import dev.skiff.store.StoreError;
import dev.skiff.store.mvcc.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a request needs before it is proposed (etcd's {@code v3rpc/key.go}): keys
 * present, txn size, no key written twice in one txn branch.
 */
public final class RequestChecks {
    private final int maxTxnOps;

    public RequestChecks(int maxTxnOps) {
        this.maxTxnOps = maxTxnOps;
    }

    public void range(RangeRequest r) {
        requireKey(r.getKey());
    }

    public void put(PutRequest r) {
        requireKey(r.getKey());
        if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
            throw StoreError.VALUE_PROVIDED.exception();
        }
        if (r.getIgnoreLease() && r.getLease() != 0) {
            throw StoreError.LEASE_PROVIDED.exception();
        }
    }

    public void deleteRange(DeleteRangeRequest r) {
        requireKey(r.getKey());
    }

    public void txn(TxnRequest t) {
        if (t.getCompareCount() > maxTxnOps || t.getSuccessCount() > maxTxnOps || t.getFailureCount() > maxTxnOps) {
            throw StoreError.TOO_MANY_OPS.exception();
        }
        t.getCompareList().forEach(c -> requireKey(c.getKey()));
        for (RequestOp op : t.getSuccessList()) {
            op(op);
        }
        for (RequestOp op : t.getFailureList()) {
            op(op);
        }
        checkIntervals(t.getSuccessList(), new ArrayList<>(), newKeySet());
        checkIntervals(t.getFailureList(), new ArrayList<>(), newKeySet());
    }

    private void op(RequestOp op) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> range(op.getRequestRange());
            case REQUEST_PUT -> put(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> deleteRange(op.getRequestDeleteRange());
            case REQUEST_TXN -> txn(op.getRequestTxn());
            default -> throw StoreError.INVALID_ARGUMENT.exception("etcdserver: empty request operation in txn");
        }
    }

    /**
     * etcd's duplicate rule: within one branch (nested txns included) a key is put at
     * most once and never both put and deleted.
     */
    private static void checkIntervals(List<RequestOp> ops, List<KeyRange> dels, Set<ByteString> puts) {
        for (RequestOp op : ops) {
            if (op.hasRequestDeleteRange()) {
                DeleteRangeRequest d = op.getRequestDeleteRange();
                dels.add(KeyRange.of(d.getKey(), d.getRangeEnd()));
            }
        }
        for (RequestOp op : ops) {
            if (op.hasRequestPut()) {
                ByteString k = op.getRequestPut().getKey();
                if (!puts.add(k)) {
                    throw StoreError.DUPLICATE_KEY.exception();
                }
            } else if (op.hasRequestTxn()) {
                TxnRequest nested = op.getRequestTxn();
                Set<ByteString> successPuts = newKeySet();
                successPuts.addAll(puts);
                List<KeyRange> successDels = new ArrayList<>(dels);
                checkIntervals(nested.getSuccessList(), successDels, successPuts);
                Set<ByteString> failurePuts = newKeySet();
                failurePuts.addAll(puts);
                List<KeyRange> failureDels = new ArrayList<>(dels);
                checkIntervals(nested.getFailureList(), failureDels, failurePuts);
                puts.addAll(successPuts);
                puts.addAll(failurePuts);
            }
        }
        for (ByteString k : puts) {
            for (KeyRange d : dels) {
                if (d.contains(k)) {
                    throw StoreError.DUPLICATE_KEY.exception();
                }
            }
        }
    }

    private static Set<ByteString> newKeySet() {
        return new TreeSet<>(ByteString.unsignedLexicographicalComparator());
    }

    private static void requireKey(ByteString key) {
        if (key.isEmpty()) {
            throw StoreError.EMPTY_KEY.exception();
        }
    }
}
