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
import java.util.concurrent.TimeUnit;

/**
 * One client's Watch stream: many watchers, created and canceled by the client's
 * requests, all sending through one bounded {@link WatchSink}. A sender thread (virtual)
 * is the only writer of the outbound stream and honours gRPC flow control, so a slow
 * client only fills its own buffer; the hub then replays from history.
 *
 * <p>Threading: gRPC calls {@code onNext}/{@code onError}/{@code onCompleted} serially;
 * the sender thread owns {@code out}.
 */
final class WatchStream implements StreamObserver<WatchRequest> {
    static final long NO_WATCH = -1;

    private final WatchHub hub;
    private final Runnable catchUp;
    private final ServerCallStreamObserver<WatchResponse> out;
    private final WatchSink sink;
    private final Map<Long, Watcher> watchers = new ConcurrentHashMap<>();
    private final Object readiness = new Object();
    private long nextId;
    private volatile boolean closed;
    private volatile boolean halfClosed;

    /** {@code catchUp} blocks until this member has applied what the cluster acknowledged. */
    WatchStream(WatchHub hub, Runnable catchUp, ServerCallStreamObserver<WatchResponse> out, int bufferedResponses) {
        this.hub = hub;
        this.catchUp = catchUp;
        this.out = out;
        this.sink = new WatchSink(bufferedResponses);
    }

    /** Starts the sender; call once, from the gRPC call's thread. */
    void start() {
        out.setOnReadyHandler(() -> {
            synchronized (readiness) {
                readiness.notifyAll();
            }
        });
        out.setOnCancelHandler(this::close);
        Thread.ofVirtual().name("watch-sender").start(this::drain);
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
        halfClosed = true;
        close();
    }

    private void close() {
        if (closed) {
            return;
        }
        closed = true;
        hub.removeAll(watchers.values());
        watchers.clear();
        synchronized (readiness) {
            readiness.notifyAll();
        }
    }

    private void drain() {
        try {
            while (!closed) {
                WatchResponse r = sink.poll(200, TimeUnit.MILLISECONDS);
                if (r == null) {
                    continue;
                }
                synchronized (readiness) {
                    while (!out.isReady() && !closed) {
                        readiness.wait(200);
                    }
                }
                if (closed) {
                    break;
                }
                if (r.getHeader().getRevision() == 0) {
                    r = r.toBuilder().setHeader(hub.header(0).toBuilder()
                            .setRevision(hub.progressRevisionNow())).build();
                }
                out.onNext(r);
            }
            if (halfClosed) {
                out.onCompleted();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            close();
        }
    }
}
