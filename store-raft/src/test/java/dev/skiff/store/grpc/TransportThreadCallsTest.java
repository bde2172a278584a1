package dev.skiff.store.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.MaintenanceGrpc;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.PutResponse;
import dev.skiff.proto.etcd.StatusRequest;
import dev.skiff.proto.etcd.StatusResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real (in-process) server set up as the store's: which thread runs which handler. */
class TransportThreadCallsTest {
    private final ExecutorService blocking = Executors.newSingleThreadExecutor(r -> new Thread(r, "blocking-pool"));
    private final AtomicReference<String> putThread = new AtomicReference<>();
    private final AtomicReference<String> statusThread = new AtomicReference<>();
    private Server server;
    private ManagedChannel channel;

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
        blocking.shutdownNow();
    }

    @Test
    void kvRunsWhereTheCallArrivesAndOtherServicesOnThePool() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .callExecutor(new TransportThreadCalls(blocking))
                .addService(new KVGrpc.KVImplBase() {
                    @Override
                    public void put(PutRequest r, StreamObserver<PutResponse> out) {
                        putThread.set(Thread.currentThread().getName());
                        out.onNext(PutResponse.getDefaultInstance());
                        out.onCompleted();
                    }
                })
                .addService(new MaintenanceGrpc.MaintenanceImplBase() {
                    @Override
                    public void status(StatusRequest r, StreamObserver<StatusResponse> out) {
                        statusThread.set(Thread.currentThread().getName());
                        out.onNext(StatusResponse.getDefaultInstance());
                        out.onCompleted();
                    }
                })
                .build().start();
        // with a direct channel, the in-process transport delivers the call on the caller's thread
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();

        KVGrpc.newBlockingStub(channel).put(PutRequest.getDefaultInstance());
        MaintenanceGrpc.newBlockingStub(channel).status(StatusRequest.getDefaultInstance());

        assertThat(putThread.get()).isEqualTo(Thread.currentThread().getName());
        assertThat(statusThread.get()).isEqualTo("blocking-pool");
    }
}
