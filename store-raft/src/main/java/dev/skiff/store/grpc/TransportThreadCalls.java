package dev.skiff.store.grpc;

import com.google.common.util.concurrent.MoreExecutors;
import dev.skiff.proto.etcd.ForwardGrpc;
import dev.skiff.proto.etcd.KVGrpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Which calls of the store's gRPC server run their handlers on the transport (Netty event
 * loop) thread that read them, and which on {@code blocking}. KV and forwarded writes only
 * check a request and queue it for Raft (their answers come from futures), so running them
 * where they arrive saves a thread hand-off per request, which on 2 cores shared by three
 * members was the largest single cost after the work itself (a wake-up and a context
 * switch per put). Everything else (watch catch-up, snapshots, membership) may wait, and
 * goes to {@code blocking}.
 *
 * <p>Use with a server whose default executor is direct, so that even the method lookup
 * happens on the transport thread; this supplier then moves the waiting kinds away.
 */
public final class TransportThreadCalls implements ServerCallExecutorSupplier {
    private static final Set<String> NON_BLOCKING_SERVICES = Set.of(KVGrpc.SERVICE_NAME, ForwardGrpc.SERVICE_NAME);

    private final Executor blocking;

    public TransportThreadCalls(Executor blocking) {
        this.blocking = blocking;
    }

    @Override
    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata headers) {
        String service = call.getMethodDescriptor().getServiceName();
        return NON_BLOCKING_SERVICES.contains(service) ? MoreExecutors.directExecutor() : blocking;
    }
}
