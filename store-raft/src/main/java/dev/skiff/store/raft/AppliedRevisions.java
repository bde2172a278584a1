package dev.skiff.store.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Lets a caller wait until this member has applied a revision: a follower that forwarded a
 * write answers its client only once its own state shows that write, so a client keeps
 * reading its own writes from the member it talks to (etcd's followers answer after their
 * own apply too).
 *
 * <p>Threading: {@link #await} from any thread; {@link #advance} from the apply thread, which
 * only hands finished waits to {@code completions} and never runs a waiter's code itself.
 */
final class AppliedRevisions {
    private record Waiter(long revision, CompletableFuture<Void> done) {
    }

    private final LongSupplier applied;
    private final Executor completions;
    // @GuardedBy("this")
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.revision, b.revision));
    private volatile boolean any;

    AppliedRevisions(LongSupplier applied, Executor completions) {
        this.applied = applied;
        this.completions = completions;
    }

    /** Completes once the applied revision is at least {@code revision}. */
    CompletableFuture<Void> await(long revision) {
        if (applied.getAsLong() >= revision) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter w = new Waiter(revision, new CompletableFuture<>());
        synchronized (this) {
            // checked again under the lock: an apply between the first check and here has
            // already called advance, which would not see this waiter
            if (applied.getAsLong() >= revision) {
                return CompletableFuture.completedFuture(null);
            }
            waiting.add(w);
            any = true;
        }
        return w.done();
    }

    /** Called after each apply: releases every wait the applied revision satisfies. */
    void advance() {
        if (!any) {
            return;
        }
        long now = applied.getAsLong();
        List<Waiter> ready = new ArrayList<>();
        synchronized (this) {
            while (!waiting.isEmpty() && waiting.peek().revision() <= now) {
                ready.add(waiting.poll());
            }
            any = !waiting.isEmpty();
        }
        if (!ready.isEmpty()) {
            completions.execute(() -> ready.forEach(w -> w.done().complete(null)));
        }
    }
}
