package dev.skiff.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.proto.etcd.ForwardGrpc;
import dev.skiff.proto.etcd.ForwardedAnswer;
import dev.skiff.proto.etcd.ForwardedBatch;
import dev.skiff.proto.etcd.InternalRaftBatch;
import dev.skiff.proto.etcd.InternalRaftBatchResponse;
import dev.skiff.proto.etcd.InternalRaftRequest;
import dev.skiff.proto.etcd.InternalRaftResponse;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.PutResponse;
import dev.skiff.proto.etcd.ResponseHeader;
import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ForwardStream} against a real in-process gRPC server playing the leader. */
class ForwardStreamTest {
    /** A leader that holds every batch until the test answers or ends the stream. */
    private static final class HeldLeader extends ForwardGrpc.ForwardImplBase {
        final List<ForwardedBatch> received = new CopyOnWriteArrayList<>();
        volatile StreamObserver<ForwardedAnswer> answers;

        @Override
        public StreamObserver<ForwardedBatch> proposeStream(StreamObserver<ForwardedAnswer> out) {
            answers = out;
            return new StreamObserver<>() {
                @Override
                public void onNext(ForwardedBatch b) {
                    received.add(b);
                }

                @Override
                public void onError(Throwable t) {
                }

                @Override
                public void onCompleted() {
                }
            };
        }

        void answer(ForwardedBatch b, long revision) {
            synchronized (this) {
                answers.onNext(ForwardedAnswer.newBuilder().setId(b.getId()).setResponse(InternalRaftBatchResponse.newBuilder()
                        .addResponses(InternalRaftResponse.newBuilder().setPut(PutResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(revision)))))
                        .build());
            }
        }
    }

    private final HeldLeader leader = new HeldLeader();
    private Server server;
    private ManagedChannel channel;
    private final Deadlines deadlines = new Deadlines(Duration.ofSeconds(10));
    private final Deadlines shortDeadlines = new Deadlines(Duration.ofMillis(200));

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(leader).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        deadlines.close();
        shortDeadlines.close();
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void answersCompleteTheirOwnBatchInWhateverOrderTheyCome() throws Exception {
        ForwardStream stream = new ForwardStream(channel, deadlines);
        CompletableFuture<InternalRaftBatchResponse> first = stream.send(batch("a"));
        CompletableFuture<InternalRaftBatchResponse> second = stream.send(batch("b"));
        awaitReceived(2);

        leader.answer(leader.received.get(1), 8);
        assertThat(second.get(5, TimeUnit.SECONDS).getResponses(0).getPut().getHeader().getRevision()).isEqualTo(8);
        assertThat(first).isNotDone();
        leader.answer(leader.received.get(0), 9);
        assertThat(first.get(5, TimeUnit.SECONDS).getResponses(0).getPut().getHeader().getRevision()).isEqualTo(9);
        assertThat(leader.received.get(0).getBatch().getRequests(0).getPut().getKey().toStringUtf8()).isEqualTo("a");
    }

    @Test
    void outlivesTheRequestWhoseContextOpenedIt() throws Exception {
        // a follower opens the stream while handling some client's put; that call ends first
        Context.CancellableContext client = Context.current().withCancellation();
        ForwardStream stream = client.call(() -> new ForwardStream(channel, deadlines));
        client.cancel(null);

        CompletableFuture<InternalRaftBatchResponse> later = stream.send(batch("after"));
        awaitReceived(1);
        leader.answer(leader.received.get(0), 3);
        assertThat(later.get(5, TimeUnit.SECONDS).getResponses(0).getPut().getHeader().getRevision()).isEqualTo(3);
        assertThat(stream.isBroken()).isFalse();
    }

    @Test
    void aFailedStreamFailsWhatWaitsAndWhatComesAfter() throws Exception {
        ForwardStream stream = new ForwardStream(channel, deadlines);
        CompletableFuture<InternalRaftBatchResponse> waiting = stream.send(batch("a"));
        awaitReceived(1);

        leader.answers.onError(Status.UNAVAILABLE.withDescription("leader going away").asRuntimeException());

        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("leader going away");
        assertThat(stream.isBroken()).isTrue();
        assertThat(stream.send(batch("b"))).isCompletedExceptionally();
    }

    @Test
    void aBatchTheLeaderNeverAnswersTimesOut() {
        ForwardStream stream = new ForwardStream(channel, shortDeadlines);
        CompletableFuture<InternalRaftBatchResponse> unanswered = stream.send(batch("a"));

        assertThatThrownBy(() -> unanswered.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        assertThat(stream.isBroken()).isFalse();
    }

    private void awaitReceived(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (leader.received.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(leader.received).hasSize(n);
    }

    private static InternalRaftBatch batch(String key) {
        return InternalRaftBatch.newBuilder().addRequests(InternalRaftRequest.newBuilder()
                .setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)))).build();
    }
}
