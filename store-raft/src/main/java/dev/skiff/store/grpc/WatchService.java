package dev.skiff.store.grpc;

import dev.skiff.proto.etcd.WatchGrpc;
import dev.skiff.proto.etcd.WatchRequest;
import dev.skiff.proto.etcd.WatchResponse;
import dev.skiff.store.watch.WatchHub;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** etcd's Watch service: one {@link WatchStream} per call over the shared {@link WatchHub}. */
public final class WatchService extends WatchGrpc.WatchImplBase {
    private static final int BUFFERED_RESPONSES = 1024;

    private final WatchHub hub;
    private final Runnable catchUp;

    /** {@code catchUp} blocks until this member has applied what the cluster acknowledged. */
    public WatchService(WatchHub hub, Runnable catchUp) {
        this.hub = hub;
        this.catchUp = catchUp;
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
        WatchStream stream = new WatchStream(hub, catchUp, (ServerCallStreamObserver<WatchResponse>) responses, BUFFERED_RESPONSES);
        stream.start();
        return stream;
    }
}
