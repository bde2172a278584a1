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

    public WatchService(WatchHub hub) {
        this.hub = hub;
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> responses) {
        WatchStream stream = new WatchStream(hub, (ServerCallStreamObserver<WatchResponse>) responses, BUFFERED_RESPONSES);
        stream.start();
        return stream;
    }
}
