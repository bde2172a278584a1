package dev.skiff.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.InternalError;
import dev.skiff.proto.etcd.InternalRaftBatchResponse;
import dev.skiff.proto.etcd.InternalRaftRequest;
import dev.skiff.proto.etcd.InternalRaftResponse;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.PutResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProposalBatcherTest {
    /** A hand-written sender that records what it was asked to propose and lets the test answer. */
    private final List<InternalRaftRequest> sent = new ArrayList<>();
    private final List<CompletableFuture<InternalRaftResponse>> replies = new ArrayList<>();
    /** Entries in flight at once: one, unless a test changes it (as a member's role does). */
    private final AtomicInteger limit = new AtomicInteger(1);
    private final ProposalBatcher batcher = new ProposalBatcher(r -> {
        sent.add(r);
        CompletableFuture<InternalRaftResponse> f = new CompletableFuture<>();
        replies.add(f);
        return f;
    }, limit::get, 1 << 20, 100, Runnable::run);

    private static InternalRaftRequest put(String k) {
        return InternalRaftRequest.newBuilder().setPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(k))).build();
    }

    @Test
    void requestsArrivingWhileOneIsInFlightLeaveAsOneBatch() throws Exception {
        var a = batcher.submit(put("a"));
        var b = batcher.submit(put("b"));
        var c = batcher.submit(put("c"));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).hasPut()).isTrue();
        replies.get(0).complete(InternalRaftResponse.newBuilder().setPut(PutResponse.getDefaultInstance()).build());
        assertThat(a.get().hasPut()).isTrue();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).getBatch().getRequestsCount()).isEqualTo(2);
        replies.get(1).complete(InternalRaftResponse.newBuilder().setBatch(InternalRaftBatchResponse.newBuilder()
                .addResponses(InternalRaftResponse.newBuilder().setPut(PutResponse.getDefaultInstance()))
                .addResponses(InternalRaftResponse.newBuilder().setError(InternalError.newBuilder()
                        .setCode("LEASE_NOT_FOUND").setMessage("etcdserver: requested lease not found")))).build());
        assertThat(b.get().hasPut()).isTrue();
        assertThat(c).isCompletedExceptionally();
        assertThat(c.exceptionNow()).hasMessage("etcdserver: requested lease not found");
    }

    @Test
    void aRaftFailureFailsEveryRequestOfTheBatch() {
        var a = batcher.submit(put("a"));
        var b = batcher.submit(put("b"));
        var c = batcher.submit(put("c"));
        replies.get(0).completeExceptionally(new IllegalStateException("no leader"));
        replies.get(1).completeExceptionally(new IllegalStateException("no leader"));
        assertThat(List.of(a, b, c)).allMatch(CompletableFuture::isCompletedExceptionally);
    }

    @Test
    void theInFlightLimitIsAskedAnewForEachBatch() {
        batcher.submit(put("a"));
        batcher.submit(put("b"));
        assertThat(sent).hasSize(1);
        // the member stopped leading: as a follower it keeps more forwarded batches in flight
        limit.set(8);
        batcher.submit(put("c"));
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).getBatch().getRequestsCount()).isEqualTo(2);
    }
}
