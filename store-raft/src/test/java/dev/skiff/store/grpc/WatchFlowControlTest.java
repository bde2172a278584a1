package dev.skiff.store.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.WatchCancelRequest;
import dev.skiff.proto.etcd.WatchCreateRequest;
import dev.skiff.proto.etcd.WatchGrpc;
import dev.skiff.proto.etcd.WatchRequest;
import dev.skiff.proto.etcd.WatchResponse;
import dev.skiff.proto.etcd.mvcc.Event;
import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watch stream whose client reads nothing: the writes it watches go on at full speed (the
 * apply thread, which sends events itself when the stream is ready, never waits for it), and
 * once the client reads again it gets every event once, in order.
 */
class WatchFlowControlTest {
    private static final int PUTS = 3000;

    @TempDir
    Path dir;
    StoreNode store;
    Server server;
    ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        store = StoreNode.start(StoreConfig.singleNode(dir));
        String name = InProcessServerBuilder.generateName();
        InProcessServerBuilder b = InProcessServerBuilder.forName(name).directExecutor();
        store.clientServices().forEach(b::addService);
        server = b.build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
        store.close();
    }

    /** Watches a prefix and collects the keys of its events; optionally reads nothing until asked. */
    private static final class Collector implements ClientResponseObserver<WatchRequest, WatchResponse> {
        final List<String> keys = new ArrayList<>();
        final CountDownLatch created = new CountDownLatch(1);
        final CountDownLatch all = new CountDownLatch(1);
        private final int expected;
        private final boolean paused;
        ClientCallStreamObserver<WatchRequest> stream;

        Collector(int expected, boolean paused) {
            this.expected = expected;
            this.paused = paused;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchRequest> s) {
            if (paused) {
                s.disableAutoRequestWithInitial(1); // the "created" response, then nothing until asked
            }
            stream = s;
        }

        @Override
        public void onNext(WatchResponse r) {
            if (r.getCreated()) {
                created.countDown();
            }
            synchronized (keys) {
                for (Event e : r.getEventsList()) {
                    keys.add(e.getKv().getKey().toStringUtf8());
                }
                if (keys.size() >= expected) {
                    all.countDown();
                }
            }
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }

        List<String> keys() {
            synchronized (keys) {
                return List.copyOf(keys);
            }
        }
    }

    private static WatchRequest watchPrefix(String prefix, String end) {
        return WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(prefix)).setRangeEnd(ByteString.copyFromUtf8(end))).build();
    }

    /** Puts {@code count} keys under {@code prefix}, in order; returns them. */
    private List<String> put(String prefix, int count, ByteString value) {
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = String.format("%s%05d", prefix, i);
            kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(value).build());
            keys.add(key);
        }
        return keys;
    }

    @Test
    void aClientThatStopsReadingNeitherSlowsWritesNorLosesEvents() throws Exception {
        Collector paused = new Collector(PUTS, true);
        WatchGrpc.newStub(channel).watch(paused).onNext(watchPrefix("/w/", "/w0"));
        assertThat(paused.created.await(10, TimeUnit.SECONDS)).isTrue();

        List<String> expected = put("/w/", PUTS, ByteString.copyFrom(new byte[1024]));
        assertThat(paused.keys()).isEmpty();

        paused.stream.request(Integer.MAX_VALUE);
        assertThat(paused.all.await(30, TimeUnit.SECONDS)).as("all %d events delivered", PUTS).isTrue();
        assertThat(paused.keys()).containsExactlyElementsOf(expected);
    }

    /**
     * Over in-process channels with direct executors on both sides (as the all-in-one server
     * runs), a client's onNext runs on the apply thread that sent the event; a client that
     * cancels its watch from there re-enters the hub while it notifies. Writes must go on and
     * the other watchers must still see every event.
     */
    @Test
    void aClientCancellingFromItsOnNextOnTheApplyThreadBreaksNothing() throws Exception {
        AtomicReference<ClientCallStreamObserver<WatchRequest>> canceller = new AtomicReference<>();
        CountDownLatch cancelled = new CountDownLatch(1);
        WatchGrpc.newStub(channel).watch(new ClientResponseObserver<WatchRequest, WatchResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<WatchRequest> s) {
                canceller.set(s);
            }

            @Override
            public void onNext(WatchResponse r) {
                if (r.getEventsCount() > 0 && !r.getCanceled()) {
                    canceller.get().onNext(WatchRequest.newBuilder().setCancelRequest(
                            WatchCancelRequest.newBuilder().setWatchId(r.getWatchId())).build());
                }
                if (r.getCanceled()) {
                    cancelled.countDown();
                }
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        }).onNext(watchPrefix("/c/", "/c0"));
        Collector other = new Collector(50, false);
        WatchGrpc.newStub(channel).watch(other).onNext(watchPrefix("/c/", "/c0"));
        assertThat(other.created.await(10, TimeUnit.SECONDS)).isTrue();

        List<String> expected = put("/c/", 50, ByteString.copyFromUtf8("v"));
        assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(other.all.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(other.keys()).containsExactlyElementsOf(expected);
    }
}
