package dev.skiff.store.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.LeaseGrpc;
import dev.skiff.proto.etcd.LeaseRevokeRequest;
import dev.skiff.proto.etcd.MaintenanceGrpc;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.RangeRequest;
import dev.skiff.proto.etcd.RequestOp;
import dev.skiff.proto.etcd.StatusRequest;
import dev.skiff.proto.etcd.TxnRequest;
import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's services on an in-process gRPC server (as the all-in-one server uses them): etcd's errors. */
class EtcdErrorsInProcessTest {
    @TempDir
    static Path dir;
    static StoreNode store;
    static Server server;
    static ManagedChannel channel;
    static KVGrpc.KVBlockingStub kv;

    @BeforeAll
    static void start() throws Exception {
        store = StoreNode.start(StoreConfig.singleNode(dir).withLimits(1024, 4));
        String name = InProcessServerBuilder.generateName();
        InProcessServerBuilder b = InProcessServerBuilder.forName(name).directExecutor();
        store.clientServices().forEach(b::addService);
        server = b.build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        kv = KVGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
        server.shutdownNow();
        store.close();
    }

    private static RequestOp put(String k) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(k))).build();
    }

    private static void assertStatus(Runnable call, Status.Code code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).isEqualTo(message);
        });
    }

    @Test
    void emptyKeyNamesTheField() throws Exception {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> kv.put(PutRequest.newBuilder().setValue(ByteString.copyFromUtf8("v")).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: key is not provided");
        BadRequest bad = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
        assertThat(bad.getFieldViolations(0).getField()).isEqualTo("key");
    }

    @Test
    void txnLimitsAndDuplicates() {
        assertStatus(() -> kv.txn(TxnRequest.newBuilder().addSuccess(put("a")).addSuccess(put("b")).addSuccess(put("c"))
                        .addSuccess(put("d")).addSuccess(put("e")).build()),
                Status.Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request");
        assertStatus(() -> kv.txn(TxnRequest.newBuilder().addSuccess(put("a")).addSuccess(put("a")).build()),
                Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");
    }

    @Test
    void requestTooLargeAndNothingApplied() {
        long before = store.revision();
        assertStatus(() -> kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("big"))
                        .setValue(ByteString.copyFrom(new byte[2048])).build()),
                Status.Code.INVALID_ARGUMENT, "etcdserver: request is too large");
        assertThat(store.revision()).isEqualTo(before);
    }

    @Test
    void unknownLeaseAndFutureRevision() {
        assertStatus(() -> LeaseGrpc.newBlockingStub(channel).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(42).build()),
                Status.Code.NOT_FOUND, "etcdserver: requested lease not found");
        assertStatus(() -> kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("a")).setRevision(1 << 30).build()),
                Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
    }

    @Test
    void statusAndHeaders() {
        var put = kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("h")).build());
        assertThat(put.getHeader().getMemberId()).isEqualTo(store.memberId());
        assertThat(put.getHeader().getClusterId()).isNotZero();
        assertThat(put.getHeader().getRaftTerm()).isPositive();
        var status = MaintenanceGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance());
        assertThat(status.getVersion()).startsWith("3.4.");
        assertThat(status.getLeader()).isEqualTo(store.memberId());
        assertThat(status.getRaftIndex()).isPositive();
        assertThat(status.getHeader().getRevision()).isEqualTo(store.revision());
    }
}
