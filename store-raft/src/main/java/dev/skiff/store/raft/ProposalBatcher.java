package dev.skiff.store.raft;

import dev.skiff.proto.etcd.InternalRaftBatch;
import dev.skiff.proto.etcd.InternalRaftRequest;
import dev.skiff.proto.etcd.InternalRaftResponse;
import dev.skiff.store.StoreException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * Groups concurrent proposals into one Raft log entry (etcd batches its Raft proposals
 * the same way): at most {@code maxInFlight} entries are being replicated at a time (the
 * limit is asked anew each time, as it may depend on the member's role); what
 * arrives meanwhile waits and leaves as one {@code InternalRaftBatch}, applied in order
 * with each request at its own revision. A lone request is sent as itself, so a single
 * client sees no added latency. Each caller gets its own response or error once the
 * entry is committed.
 *
 * <p>Threading: {@link #submit} from any thread; the queue is guarded by {@code this};
 * sending happens outside the lock. When an entry completes, the next batch is sent and
 * the callers are answered on {@code continuations}, not on the thread that completed the
 * entry: that is Ratis' state-machine updater (or a transport thread), and a proposal sent
 * there runs into Ratis' server lock, while answering 500 callers there delays the apply
 * of every later entry. Only a small batch with nothing queued behind it is answered in
 * place: with few clients, the hand-off was a wake-up and a context switch per write.
 */
final class ProposalBatcher {
    private record Pending(InternalRaftRequest request, CompletableFuture<InternalRaftResponse> result, int size) {
    }

    /** Up to this many callers are answered on the thread that completed their entry, if nothing waits to be sent. */
    static final int ANSWER_IN_PLACE = 4;

    private final Function<InternalRaftRequest, CompletableFuture<InternalRaftResponse>> sender;
    private final IntSupplier maxInFlight;
    private final int maxBatchBytes;
    private final int maxBatchRequests;
    private final Executor continuations;
    // @GuardedBy("this")
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    // @GuardedBy("this")
    private int inFlight;

    ProposalBatcher(Function<InternalRaftRequest, CompletableFuture<InternalRaftResponse>> sender,
                    IntSupplier maxInFlight, int maxBatchBytes, int maxBatchRequests, Executor continuations) {
        this.sender = sender;
        this.maxInFlight = maxInFlight;
        this.maxBatchBytes = maxBatchBytes;
        this.maxBatchRequests = maxBatchRequests;
        this.continuations = continuations;
    }

    CompletableFuture<InternalRaftResponse> submit(InternalRaftRequest request) {
        return submitAll(List.of(request)).get(0);
    }

    /**
     * Queues several requests at once (a batch a follower forwarded), so they leave
     * together rather than the first alone; one future per request, in order.
     */
    List<CompletableFuture<InternalRaftResponse>> submitAll(List<InternalRaftRequest> requests) {
        List<Pending> added = new ArrayList<>(requests.size());
        for (InternalRaftRequest r : requests) {
            added.add(new Pending(r, new CompletableFuture<>(), r.getSerializedSize()));
        }
        List<Pending> batch;
        synchronized (this) {
            queue.addAll(added);
            batch = takeBatchLocked();
        }
        if (batch != null) {
            send(batch);
        }
        return added.stream().map(Pending::result).toList();
    }

    /** Whether requests wait for a slot: they leave as the next entry as soon as one in flight completes. */
    synchronized boolean hasQueued() {
        return !queue.isEmpty();
    }

    // @GuardedBy("this")
    private List<Pending> takeBatchLocked() {
        if (queue.isEmpty() || inFlight >= maxInFlight.getAsInt()) {
            return null;
        }
        List<Pending> batch = new ArrayList<>();
        int bytes = 0;
        while (!queue.isEmpty() && batch.size() < maxBatchRequests
                && (batch.isEmpty() || bytes + queue.peek().size() <= maxBatchBytes)) {
            Pending next = queue.poll();
            bytes += next.size();
            batch.add(next);
        }
        inFlight++;
        return batch;
    }

    private void send(List<Pending> batch) {
        CompletableFuture<InternalRaftResponse> f;
        if (batch.size() == 1) {
            f = sender.apply(batch.get(0).request());
        } else {
            InternalRaftBatch.Builder b = InternalRaftBatch.newBuilder();
            batch.forEach(p -> b.addRequests(p.request()));
            f = sender.apply(InternalRaftRequest.newBuilder().setBatch(b).build());
        }
        f.whenComplete((resp, err) -> {
            List<Pending> next;
            synchronized (this) {
                inFlight--;
                next = takeBatchLocked();
            }
            if (next == null) {
                answer(batch, resp, err);
                return;
            }
            continuations.execute(() -> {
                send(next); // first keep Raft busy, then answer
                complete(batch, resp, err);
            });
        });
    }

    /** Answers a few callers where their entry completed (a hand-off costs more), many on {@code continuations}. */
    private void answer(List<Pending> batch, InternalRaftResponse resp, Throwable err) {
        if (batch.size() <= ANSWER_IN_PLACE) {
            complete(batch, resp, err);
        } else {
            continuations.execute(() -> complete(batch, resp, err));
        }
    }

    private static void complete(List<Pending> batch, InternalRaftResponse resp, Throwable err) {
        if (err != null) {
            batch.forEach(p -> p.result().completeExceptionally(err));
            return;
        }
        if (batch.size() == 1) {
            batch.get(0).result().complete(resp);
            return;
        }
        List<InternalRaftResponse> each = resp.getBatch().getResponsesList();
        for (int i = 0; i < batch.size(); i++) {
            CompletableFuture<InternalRaftResponse> r = batch.get(i).result();
            try {
                r.complete(RaftOutcomes.unwrap(each.get(i)));
            } catch (StoreException e) {
                r.completeExceptionally(e);
            }
        }
    }
}
