package dev.skiff.store.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.Compare;
import dev.skiff.proto.etcd.CompactionRequest;
import dev.skiff.proto.etcd.DeleteRangeRequest;
import dev.skiff.proto.etcd.LeaseGrantRequest;
import dev.skiff.proto.etcd.LeaseRevokeRequest;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.RangeRequest;
import dev.skiff.proto.etcd.RequestOp;
import dev.skiff.proto.etcd.TxnRequest;
import dev.skiff.proto.etcd.TxnResponse;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import dev.skiff.store.StoreError;
import dev.skiff.store.StoreException;
import dev.skiff.store.lease.Lessor;
import dev.skiff.store.mvcc.KeyRange;
import dev.skiff.store.mvcc.MvccSnapshot;
import dev.skiff.store.mvcc.MvccStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class KvApplierTest {
    private final MvccStore store = new MvccStore();
    private final Lessor lessor = new Lessor(Clock.systemUTC(), 1);
    private final KvApplier kv = new KvApplier(store, lessor);

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private long put(String k, String v) {
        return kv.put(PutRequest.newBuilder().setKey(b(k)).setValue(b(v)).build()).revision();
    }

    private RangeRequest.Builder range(String k, String end) {
        return RangeRequest.newBuilder().setKey(b(k)).setRangeEnd(end == null ? ByteString.EMPTY : b(end));
    }

    @Test
    void revisionsVersionsAndHistory() {
        assertThat(store.currentRevision()).isEqualTo(1);
        assertThat(put("a", "1")).isEqualTo(2);
        assertThat(put("a", "2")).isEqualTo(3);
        KeyValue a = kv.range(range("a", null).build()).getKvs(0);
        assertThat(a.getCreateRevision()).isEqualTo(2);
        assertThat(a.getModRevision()).isEqualTo(3);
        assertThat(a.getVersion()).isEqualTo(2);
        assertThat(kv.range(range("a", null).setRevision(2).build()).getKvs(0).getValue()).isEqualTo(b("1"));

        var del = kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("a")).setPrevKv(true).build());
        assertThat(del.response().getDeleted()).isEqualTo(1);
        assertThat(del.response().getPrevKvs(0).getValue()).isEqualTo(b("2"));
        assertThat(kv.range(range("a", null).build()).getKvsCount()).isZero();
        put("a", "3");
        KeyValue again = kv.range(range("a", null).build()).getKvs(0);
        assertThat(again.getVersion()).isEqualTo(1);
        assertThat(again.getCreateRevision()).isEqualTo(5);
        // deleting nothing does not bump the revision
        assertThat(kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("zz")).build()).revision()).isEqualTo(5);
    }

    @Test
    void prefixLimitSortAndFilters() {
        put("p/1", "c");
        put("p/2", "b");
        put("p/3", "a");
        put("q", "x");
        var all = kv.range(range("p/", KeyRange.prefixEnd(b("p/")).toStringUtf8()).setLimit(2).build());
        assertThat(all.getCount()).isEqualTo(3);
        assertThat(all.getMore()).isTrue();
        assertThat(all.getKvsList()).extracting(k -> k.getKey().toStringUtf8()).containsExactly("p/1", "p/2");
        var byValue = kv.range(range("p/", "p0").setSortTarget(RangeRequest.SortTarget.VALUE)
                .setSortOrder(RangeRequest.SortOrder.DESCEND).build());
        assertThat(byValue.getKvsList()).extracting(k -> k.getValue().toStringUtf8()).containsExactly("c", "b", "a");
        var everything = kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {0}))
                .setRangeEnd(ByteString.copyFrom(new byte[] {0})).setKeysOnly(true).build());
        assertThat(everything.getKvsCount()).isEqualTo(4);
        assertThat(everything.getKvs(0).getValue()).isEmpty();
        var countOnly = kv.range(range("p/", "p0").setCountOnly(true).build());
        assertThat(countOnly.getCount()).isEqualTo(3);
        assertThat(countOnly.getKvsCount()).isZero();
        var minMod = kv.range(range("p/", "p0").setMinModRevision(3).build());
        assertThat(minMod.getKvsList()).extracting(k -> k.getKey().toStringUtf8()).containsExactly("p/2", "p/3");
        assertThat(kv.range(range("p/3", "p/1").build()).getCount()).isZero();
    }

    @Test
    void txnComparesAndAtomicity() {
        put("k", "v");
        TxnRequest t = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(b("k")).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.EQUAL).setValue(b("v")))
                .addCompare(Compare.newBuilder().setKey(b("missing")).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("k")).setValue(b("w"))))
                .addSuccess(RequestOp.newBuilder().setRequestRange(range("k", null)))
                .addFailure(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("f")).setValue(b("f"))))
                .build();
        var applied = kv.txn(t);
        TxnResponse r = applied.response();
        assertThat(r.getSucceeded()).isTrue();
        assertThat(r.getResponses(1).getResponseRange().getKvs(0).getValue()).isEqualTo(b("w"));
        assertThat(applied.revision()).isEqualTo(3);
        assertThat(kv.txn(t).response().getSucceeded()).isFalse();

        long before = store.currentRevision();
        TxnRequest badLease = TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("x")).setValue(b("1"))))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("y")).setLease(77)))
                .build();
        assertThatThrownBy(() -> kv.txn(badLease)).isInstanceOf(StoreException.class)
                .hasMessage("etcdserver: requested lease not found");
        assertThat(store.currentRevision()).isEqualTo(before);
        assertThat(kv.range(range("x", null).build()).getKvsCount()).isZero();
    }

    @Test
    void duplicateKeysAndTooManyOps() {
        RequestChecks checks = new RequestChecks(2);
        RequestOp putA = RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("a"))).build();
        RequestOp delAll = RequestOp.newBuilder().setRequestDeleteRange(
                DeleteRangeRequest.newBuilder().setKey(b("a")).setRangeEnd(b("b"))).build();
        assertThatThrownBy(() -> checks.txn(TxnRequest.newBuilder().addSuccess(putA).addSuccess(putA).build()))
                .hasMessage(StoreError.DUPLICATE_KEY.message());
        assertThatThrownBy(() -> checks.txn(TxnRequest.newBuilder().addSuccess(putA).addSuccess(delAll).build()))
                .hasMessage(StoreError.DUPLICATE_KEY.message());
        assertThatThrownBy(() -> checks.txn(TxnRequest.newBuilder().addSuccess(putA).addSuccess(putA).addSuccess(putA).build()))
                .hasMessage("etcdserver: too many operations in txn request");
        checks.txn(TxnRequest.newBuilder().addSuccess(putA).addFailure(putA).build());
        assertThatThrownBy(() -> checks.put(PutRequest.newBuilder().build())).hasMessage("etcdserver: key is not provided");
    }

    @Test
    void compactionErrorsAndPhysicalRemoval() {
        put("a", "1");
        put("a", "2");
        put("b", "1");
        kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("b")).build());
        kv.compact(CompactionRequest.newBuilder().setRevision(4).build());
        assertThatThrownBy(() -> kv.range(range("a", null).setRevision(2).build()))
                .hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThatThrownBy(() -> kv.range(range("a", null).setRevision(99).build()))
                .hasMessage("etcdserver: mvcc: required revision is a future revision");
        assertThatThrownBy(() -> kv.compact(CompactionRequest.newBuilder().setRevision(3).build()))
                .hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThat(kv.range(range("a", null).setRevision(4).build()).getKvs(0).getValue()).isEqualTo(b("2"));
        kv.compact(CompactionRequest.newBuilder().setRevision(5).build());
        // "a"@3 and the "b" tombstone are all that is left... only "a" survives physically
        assertThat(store.historySize()).isEqualTo(1);
        assertThatThrownBy(() -> store.events(5, 5)).isInstanceOf(StoreException.class);
    }

    @Test
    void leasesDeleteAttachedKeysOnRevoke() {
        kv.leaseGrant(LeaseGrantRequest.newBuilder().setID(7).setTTL(10).build());
        kv.put(PutRequest.newBuilder().setKey(b("l1")).setLease(7).build());
        kv.put(PutRequest.newBuilder().setKey(b("l2")).setLease(7).build());
        put("l2", "detached");
        var revoked = kv.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(7).build());
        assertThat(revoked.events()).hasSize(1);
        assertThat(kv.range(range("l1", null).build()).getKvsCount()).isZero();
        assertThat(kv.range(range("l2", null).build()).getKvsCount()).isEqualTo(1);
        assertThatThrownBy(() -> kv.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(7).build()))
                .hasMessage("etcdserver: requested lease not found");
    }

    @Test
    void snapshotIsDeterministicAndRestores() throws Exception {
        put("a", "1");
        put("b", "2");
        kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(b("a")).build());
        byte[] one = snap(store);
        MvccStore copy = new MvccStore();
        MvccSnapshot.read(copy, new DataInputStream(new ByteArrayInputStream(one)));
        assertThat(snap(copy)).isEqualTo(one);
        assertThat(copy.currentRevision()).isEqualTo(4);
        assertThat(copy.events(2, 4)).hasSize(3);
    }

    private static byte[] snap(MvccStore s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MvccSnapshot.write(s, new DataOutputStream(bytes));
        return bytes.toByteArray();
    }
}
