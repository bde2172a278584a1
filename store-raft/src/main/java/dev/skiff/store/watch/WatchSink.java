package dev.skiff.store.watch;

import dev.skiff.proto.etcd.WatchResponse;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The outbound buffer of one watch stream. Event responses are bounded: when
 * {@code capacity} responses are waiting, {@link #offerEvents} refuses and the watcher
 * falls back to catching up from history, so the apply thread never waits for a slow
 * client. Control responses (created, canceled, progress) are always queued so that
 * their order relative to events holds. After each queued response the sink runs its
 * {@code flush}, which sends what the stream will take without blocking.
 *
 * <p>Threading: any thread offers and polls; the stream decides who sends.
 */
public final class WatchSink {
    private final LinkedBlockingQueue<WatchResponse> queue = new LinkedBlockingQueue<>();
    private final int capacity;
    private final Runnable flush;

    /** {@code flush} must not block: it runs on the apply thread. */
    public WatchSink(int capacity, Runnable flush) {
        this.capacity = capacity;
        this.flush = flush;
    }

    /** Queues an event response unless the buffer is full; never blocks. */
    public boolean offerEvents(WatchResponse r) {
        if (queue.size() >= capacity) {
            return false;
        }
        enqueue(r);
        return true;
    }

    public void sendControl(WatchResponse r) {
        enqueue(r);
    }

    private void enqueue(WatchResponse r) {
        queue.add(r);
        flush.run();
    }

    /** The oldest queued response, or null. */
    public WatchResponse poll() {
        return queue.poll();
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public int pending() {
        return queue.size();
    }
}
