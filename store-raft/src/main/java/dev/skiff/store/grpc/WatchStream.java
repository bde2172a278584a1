package dev.skiff.store.grpc;

import dev.skiff.proto.etcd.WatchCreateRequest;
import dev.skiff.proto.etcd.WatchRequest;
import dev.skiff.proto.etcd.WatchResponse;
import dev.skiff.store.mvcc.KeyRange;
import dev.skiff.store.watch.WatchHub;
import dev.skiff.store.watch.WatchSink;
import dev.skiff.store.watch.Watcher;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's Watch stream: many watchers, created and canceled by the client's
 * requests, all sending through one bounded {@link WatchSink}. Sending honours gRPC flow
 * control, so a slow client only fills its own buffer; the hub then replays from history.
 *
 * <p>Threading: gRPC calls {@code onNext}/{@code onError}/{@code onCompleted} serially.
 * Whichever thread queues a response sends it, if the stream is ready and no other thread
 * is sending: usually the apply thread, which so hands a new event straight to the
 * transport instead of waking a sender thread first (one thread switch less between a
 * put and its watchers, on the path etcd keeps short too). The holder of {@code sending}
 * is the only caller of {@code out}; sending never blocks, and what a thread could not
 * send waits for the stream's next onReady.
 */
final class WatchStream implements StreamObserver<WatchRequest> {
    private static final Logger log = LoggerFactory.getLogger(WatchStream.class);
    static final long NO_WATCH = -1;

    private final WatchHub hub;
    private final Runnable catchUp;
    private final ServerCallStreamObserver<WatchResponse> out;
    private final WatchSink sink;
    private final Map<Long, Watcher> watchers = new ConcurrentHashMap<>();
    private final ReentrantLock sending = new ReentrantLock();
    private final AtomicBoolean removed = new AtomicBoolean();
    private long nextId;
    private volatile boolean closed;

    /** {@code catchUp} blocks until this member has applied what the cluster acknowledged. */
    WatchStream(WatchHub hub, Runnable catchUp, ServerCallStreamObserver<WatchResponse> out, int bufferedResponses) {
        this.hub = hub;
        this.catchUp = catchUp;
        this.out = out;
        this.sink = new WatchSink(bufferedResponses, this::flush);
    }

    /** Hooks the stream's readiness and cancellation; call once, from the gRPC call's thread. */
    void start() {
        out.setOnReadyHandler(this::flush);
        out.setOnCancelHandler(this::close);
    }

    @Override
    public void onNext(WatchRequest req) {
        switch (req.getRequestUnionCase()) {
            case CREATE_REQUEST -> create(req.getCreateRequest());
            case CANCEL_REQUEST -> cancel(req.getCancelRequest().getWatchId());
            case PROGRESS_REQUEST -> {
                long rev = hub.progressRevision(watchers.values());
                if (rev >= 0) {
                    sink.sendControl(WatchResponse.newBuilder().setHeader(hub.header(rev)).setWatchId(NO_WATCH).build());
                }
            }
            default -> {
            }
        }
    }

    private void create(WatchCreateRequest c) {
        KeyRange range = KeyRange.of(c.getKey(), c.getRangeEnd());
        long id = c.getWatchId() != 0 ? c.getWatchId() : freeId();
        String refusal = null;
        if (range.isEmpty()) {
            refusal = "mvcc: watcher range is empty";
        } else if (watchers.containsKey(id)) {
            refusal = "mvcc: duplicate watch ID provided on the WatchStream";
        }
        if (refusal != null) {
            sink.sendControl(WatchResponse.newBuilder().setHeader(hub.header(0)).setWatchId(id)
                    .setCreated(true).setCanceled(true).setCancelReason(refusal).build());
            return;
        }
        boolean noPut = c.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
        boolean noDelete = c.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
        Watcher w = new Watcher(id, range, c.getPrevKv(), noPut, noDelete, c.getProgressNotify(), sink);
        if (c.getStartRevision() <= 0) {
            // "from now" means the cluster's now: a member behind the leader would otherwise
            // report writes its client has already been told about
            catchUp.run();
        }
        watchers.put(id, w);
        hub.add(w, c.getStartRevision());
    }

    private long freeId() {
        while (watchers.containsKey(nextId)) {
            nextId++;
        }
        return nextId++;
    }

    private void cancel(long id) {
        Watcher w = watchers.remove(id);
        if (w != null) {
            hub.remove(w);
            sink.sendControl(WatchResponse.newBuilder().setHeader(hub.header(0)).setWatchId(id).setCanceled(true).build());
        }
    }

    @Override
    public void onError(Throwable t) {
        close();
    }

    @Override
    public void onCompleted() {
        close();
        sending.lock();
        try {
            out.onCompleted();
        } finally {
            sending.unlock();
        }
    }

    private void close() {
        closed = true;
        if (removed.compareAndSet(false, true)) {
            hub.removeAll(watchers.values());
            watchers.clear();
        }
    }

    /** Sends queued responses while the stream takes them; any thread, never blocks. */
    private void flush() {
        while (!closed && !sink.isEmpty() && out.isReady()) {
            if (!sending.tryLock()) {
                return; // the holder looks at the queue again after unlocking, and sends ours
            }
            try {
                sendWhileReady();
            } catch (RuntimeException e) {
                // not the caller's problem (often the apply thread): the call's end removes the watchers
                closed = true;
                log.warn("watch stream stopped sending: {}", e.toString());
            } finally {
                sending.unlock();
            }
        }
    }

    private void sendWhileReady() {
        WatchResponse r;
        while (!closed && out.isReady() && (r = sink.poll()) != null) {
            if (r.getHeader().getRevision() == 0) {
                r = r.toBuilder().setHeader(hub.header(0).toBuilder().setRevision(hub.progressRevisionNow())).build();
            }
            out.onNext(r);
        }
    }
}
