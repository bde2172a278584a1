package dev.skiff.store.grpc;

import com.google.protobuf.MessageLite;
import dev.skiff.proto.etcd.CompactionRequest;
import dev.skiff.proto.etcd.CompactionResponse;
import dev.skiff.proto.etcd.DeleteRangeRequest;
import dev.skiff.proto.etcd.DeleteRangeResponse;
import dev.skiff.proto.etcd.InternalQuery;
import dev.skiff.proto.etcd.InternalRaftRequest;
import dev.skiff.proto.etcd.InternalRaftResponse;
import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.PutResponse;
import dev.skiff.proto.etcd.RangeRequest;
import dev.skiff.proto.etcd.RangeResponse;
import dev.skiff.proto.etcd.TxnRequest;
import dev.skiff.proto.etcd.TxnResponse;
import dev.skiff.store.StoreError;
import dev.skiff.store.apply.RequestChecks;
import dev.skiff.store.raft.RaftGateway;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** etcd's KV service: checks the request, then hands it to Raft or to a read path. */
public final class KvService extends KVGrpc.KVImplBase {
    private final RaftGateway raft;
    private final RequestChecks checks;
    private final long maxRequestBytes;

    public KvService(RaftGateway raft, RequestChecks checks, long maxRequestBytes) {
        this.raft = raft;
        this.checks = checks;
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public void range(RangeRequest r, StreamObserver<RangeResponse> out) {
        Unary.reply(() -> {
            checks.range(r);
            InternalQuery q = InternalQuery.newBuilder().setRange(r).build();
            return r.getSerializable() ? raft.readSerializable(q) : raft.readLinearizable(q);
        }, InternalRaftResponse::getRange, out);
    }

    @Override
    public void put(PutRequest r, StreamObserver<PutResponse> out) {
        Unary.reply(() -> {
            checks.put(r);
            return propose(r, InternalRaftRequest.newBuilder().setPut(r).build());
        }, InternalRaftResponse::getPut, out);
    }

    @Override
    public void deleteRange(DeleteRangeRequest r, StreamObserver<DeleteRangeResponse> out) {
        Unary.reply(() -> {
            checks.deleteRange(r);
            return propose(r, InternalRaftRequest.newBuilder().setDeleteRange(r).build());
        }, InternalRaftResponse::getDeleteRange, out);
    }

    @Override
    public void txn(TxnRequest r, StreamObserver<TxnResponse> out) {
        Unary.reply(() -> {
            checks.txn(r);
            return propose(r, InternalRaftRequest.newBuilder().setTxn(r).build());
        }, InternalRaftResponse::getTxn, out);
    }

    @Override
    public void compact(CompactionRequest r, StreamObserver<CompactionResponse> out) {
        Unary.reply(() -> raft.propose(InternalRaftRequest.newBuilder().setCompaction(r).build()),
                InternalRaftResponse::getCompaction, out);
    }

    private CompletableFuture<InternalRaftResponse> propose(MessageLite request, InternalRaftRequest entry) {
        if (request.getSerializedSize() > maxRequestBytes) {
            throw StoreError.REQUEST_TOO_LARGE.exception();
        }
        return raft.propose(entry);
    }
}
