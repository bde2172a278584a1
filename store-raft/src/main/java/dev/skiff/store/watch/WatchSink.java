package dev.skiff.store.watch;

import dev.skiff.proto.etcd.WatchResponse;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The outbound buffer of one watch stream. Event responses are bounded: when
 * {@code capacity} responses are waiting, {@link #offerEvents} refuses and the watcher
 * falls back to catching up from history, so the apply thread never waits for a slow
 * client. Control responses (created, canceled, progress) are always queued so that
 * their order relative to events holds.
 *
 * <p>Threading: any thread offers; one sender thread takes.
 */
public final class WatchSink {
    private final LinkedBlockingQueue<WatchResponse> queue = new LinkedBlockingQueue<>();
    private final int capacity;

    public WatchSink(int capacity) {
        this.capacity = capacity;
    }

    /** Queues an event response unless the buffer is full; never blocks. */
    public boolean offerEvents(WatchResponse r) {
        if (queue.size() >= capacity) {
            return false;
        }
        return queue.offer(r);
    }

    public void sendControl(WatchResponse r) {
        queue.offer(r);
    }

    /** The next response, or null after the timeout. */
    public WatchResponse poll(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }

    public int pending() {
        return queue.size();
    }
}
