package dev.skiff.store.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Lets concurrent linearizable reads share one Raft ReadIndex round, as etcd's
 * {@code linearizableReadLoop} does: a read waits for the next barrier (one ReadIndex
 * request, answered once this member has applied the read index), then is served from
 * the applied state. Only one barrier is in flight; reads that arrive meanwhile wait for
 * the following one, because the barrier in flight may have taken its read index before
 * they started. So every read reflects every write acknowledged before it started.
 *
 * <p>Threading: {@link #await} from any thread; the waiting list is guarded by
 * {@code this}; barriers are sent outside the lock, and waiters are released on
 * {@code continuations} (never on the Ratis thread that completed the barrier).
 */
final class ReadIndexBatcher {
    private final Supplier<CompletableFuture<Boolean>> barrier;
    private final Executor continuations;
    // @GuardedBy("this")
    private List<CompletableFuture<Boolean>> waiting = new ArrayList<>();
    // @GuardedBy("this")
    private boolean inFlight;

    ReadIndexBatcher(Supplier<CompletableFuture<Boolean>> barrier, Executor continuations) {
        this.barrier = barrier;
        this.continuations = continuations;
    }

    /**
     * Completes once a barrier sent after this call is done: with {@code true} if it passed
     * at this member (its applied state may serve the read), {@code false} if it could not
     * (the caller then reads elsewhere), or exceptionally with the barrier's failure.
     */
    CompletableFuture<Boolean> await() {
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        List<CompletableFuture<Boolean>> batch;
        synchronized (this) {
            waiting.add(ready);
            batch = takeLocked();
        }
        if (batch != null) {
            send(batch);
        }
        return ready;
    }

    // @GuardedBy("this")
    private List<CompletableFuture<Boolean>> takeLocked() {
        if (inFlight || waiting.isEmpty()) {
            return null;
        }
        inFlight = true;
        List<CompletableFuture<Boolean>> batch = waiting;
        waiting = new ArrayList<>();
        return batch;
    }

    private void send(List<CompletableFuture<Boolean>> batch) {
        CompletableFuture<Boolean> f;
        try {
            f = barrier.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenCompleteAsync((passed, err) -> {
            List<CompletableFuture<Boolean>> next;
            synchronized (this) {
                inFlight = false;
                next = takeLocked();
            }
            if (next != null) {
                send(next);
            }
            for (CompletableFuture<Boolean> r : batch) {
                if (err != null) {
                    r.completeExceptionally(err);
                } else {
                    r.complete(passed);
                }
            }
        }, continuations);
    }
}
