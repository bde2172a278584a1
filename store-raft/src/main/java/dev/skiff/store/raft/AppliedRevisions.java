package dev.skiff.store.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Futures that complete once this member has applied a store revision: a follower's reads
 * wait here for the writes it has answered, and for the leader's read revision.
 *
 * <p>Threading: {@link #advance} is called by the state-machine updater after each apply;
 * {@link #await} from any thread. The queue is guarded by {@code this}; futures are
 * completed outside the lock, with {@code true}. Callers must not run heavy work inline on
 * completion (it would run on the updater): they continue asynchronously.
 */
final class AppliedRevisions {
    private record Waiter(long revision, CompletableFuture<Boolean> done) {
    }

    private static final CompletableFuture<Boolean> ALREADY = CompletableFuture.completedFuture(true);

    // @GuardedBy("this")
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.revision, b.revision));
    private volatile long applied;
    private volatile boolean anyWaiting;

    /** Completes with {@code true} once revision {@code revision} is applied here. */
    CompletableFuture<Boolean> await(long revision) {
        if (applied >= revision) {
            return ALREADY;
        }
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        synchronized (this) {
            waiting.add(new Waiter(revision, f));
            anyWaiting = true;
        }
        if (applied >= revision) { // advanced meanwhile, possibly before it saw the waiter
            drain(applied);
        }
        return f;
    }

    /** The applied revision is now {@code revision}. */
    void advance(long revision) {
        applied = revision;
        if (anyWaiting) {
            drain(revision);
        }
    }

    private void drain(long revision) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (this) {
            while (!waiting.isEmpty() && waiting.peek().revision <= revision) {
                ready.add(waiting.poll());
            }
            anyWaiting = !waiting.isEmpty();
        }
        ready.forEach(w -> w.done.complete(true));
    }
}
