package dev.skiff.store.raft;

import dev.skiff.proto.etcd.ForwardGrpc;
import dev.skiff.proto.etcd.ForwardedAnswer;
import dev.skiff.proto.etcd.ForwardedBatch;
import dev.skiff.proto.etcd.InternalRaftBatch;
import dev.skiff.proto.etcd.InternalRaftBatchResponse;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code Forward/ProposeStream} to the leader: a follower's batches go out as messages on
 * it and each answer completes its batch's future, matched by id. A unary call per batch cost
 * both ends more than the writes themselves (a stream, headers, trailers and deadline timers
 * for one or two writes each). Each batch still has its own timeout. When the stream fails or
 * the leader ends it, every batch waiting on it fails with that error (as a unary call would:
 * its writes may or may not have been applied) and the stream is {@link #isBroken broken};
 * the caller opens a new one.
 *
 * <p>Threading: {@link #send} from any thread, serialized on the request observer; answers
 * arrive on the channel's transport thread and complete futures there.
 */
final class ForwardStream {
    private final ConcurrentHashMap<Long, CompletableFuture<InternalRaftBatchResponse>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Deadlines deadlines;
    private final StreamObserver<ForwardedBatch> requests;
    private volatile Throwable broken;

    ForwardStream(Channel leader, Deadlines deadlines) {
        this.deadlines = deadlines;
        // opened outside the calling request's context: that call ends (and its context is
        // cancelled) long before the stream should
        Context previous = Context.ROOT.attach();
        try {
            this.requests = open(leader);
        } finally {
            Context.ROOT.detach(previous);
        }
    }

    private StreamObserver<ForwardedBatch> open(Channel leader) {
        return ForwardGrpc.newStub(leader).proposeStream(new StreamObserver<>() {
            @Override
            public void onNext(ForwardedAnswer a) {
                CompletableFuture<InternalRaftBatchResponse> f = waiting.remove(a.getId());
                if (f != null) {
                    f.complete(a.getResponse());
                }
            }

            @Override
            public void onError(Throwable t) {
                breakWith(t);
            }

            @Override
            public void onCompleted() {
                breakWith(new IllegalStateException("the leader ended the forwarding stream"));
            }
        });
    }

    /** Sends {@code batch}; completes with the leader's answer, or fails on timeout or a broken stream. */
    CompletableFuture<InternalRaftBatchResponse> send(InternalRaftBatch batch) {
        long id = ids.incrementAndGet();
        CompletableFuture<InternalRaftBatchResponse> answer = new CompletableFuture<>();
        waiting.put(id, answer);
        Throwable failed = broken;
        if (failed != null) {
            waiting.remove(id);
            return CompletableFuture.failedFuture(failed);
        }
        try {
            synchronized (requests) {
                requests.onNext(ForwardedBatch.newBuilder().setId(id).setBatch(batch).build());
            }
        } catch (RuntimeException e) { // the call was already cancelled
            breakWith(e);
        }
        deadlines.within(answer).whenComplete((r, e) -> waiting.remove(id));
        return answer;
    }

    boolean isBroken() {
        return broken != null;
    }

    /** Ends the stream; batches still waiting fail. */
    void close() {
        synchronized (requests) {
            requests.onError(new IllegalStateException("forwarding stream closed"));
        }
        breakWith(new IllegalStateException("forwarding stream closed"));
    }

    private void breakWith(Throwable t) {
        if (broken == null) {
            broken = t;
        }
        // a batch added after this pass sees broken set and fails itself (send)
        waiting.forEach((id, f) -> {
            if (waiting.remove(id, f)) {
                f.completeExceptionally(t);
            }
        });
    }
}
