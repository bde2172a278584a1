package dev.skiff.store.raft;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.skiff.proto.etcd.ForwardGrpc;
import dev.skiff.proto.etcd.InternalRaftBatch;
import dev.skiff.proto.etcd.InternalRaftBatchResponse;
import dev.skiff.proto.etcd.MemberAttributes;
import dev.skiff.proto.etcd.ReadRevisionRequest;
import dev.skiff.proto.etcd.ReadRevisionResponse;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;

/**
 * Sends the writes a follower has batched to the leader's client endpoint, each batch one
 * message on a {@code Forward/ProposeStream} ({@link ForwardStream}; etcd's followers forward
 * proposals to the leader the same way). There they join the leader's {@link ProposalBatcher},
 * so writes from every member share log entries, and a follower's batch costs one message
 * instead of a Ratis client request waiting on the leader's server lock. Linearizable reads at a follower ask the
 * leader for their read revision on the same channel ({@code Forward/ReadRevision}).
 *
 * <p>Threading: any thread; one channel per leader endpoint, created on first use and kept,
 * and one open forwarding stream on it.
 */
final class LeaderForwarder implements AutoCloseable {
    private final RaftServer.Division division;
    private final MemberRegistry members;
    private final Deadlines deadlines;
    private final ConcurrentHashMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ManagedChannel, ForwardStream> streams = new ConcurrentHashMap<>();
    /** The last leader's published attributes and its channel: the URL is parsed once per change. */
    private volatile Route route;
    private volatile boolean closed;

    private record Route(MemberAttributes leader, ManagedChannel channel) {
    }

    LeaderForwarder(RaftServer.Division division, MemberRegistry members, Deadlines deadlines) {
        this.division = division;
        this.members = members;
        this.deadlines = deadlines;
    }

    /**
     * Forwards {@code batch} to the leader, or returns null when it cannot go this way: no
     * known leader, this member leads, or the leader has not published a client URL yet.
     */
    CompletableFuture<InternalRaftBatchResponse> forward(InternalRaftBatch batch) {
        ManagedChannel ch = leaderChannel();
        if (ch == null) {
            return null;
        }
        // on failure the writes may or may not have been applied (as when an etcd follower
        // loses its leader mid-proposal): the clients get the error
        return stream(ch).send(batch);
    }

    /** The open forwarding stream on {@code ch}, opened anew after the last one broke. */
    private ForwardStream stream(ManagedChannel ch) {
        ForwardStream s = streams.get(ch);
        if (s != null && !s.isBroken()) {
            return s;
        }
        return streams.compute(ch, (c, old) -> old != null && !old.isBroken() ? old : new ForwardStream(c, deadlines));
    }

    /**
     * Asks the leader for the revision a linearizable read must see now (see
     * {@code Forward/ReadRevision}), or returns null when it cannot go this way (as {@link #forward}).
     */
    CompletableFuture<Long> readRevision() {
        ManagedChannel ch = leaderChannel();
        if (ch == null) {
            return null;
        }
        // one call serves every read waiting for this round (ReadIndexBatcher): it must not
        // inherit the context of the read that happened to start it, whose cancel or deadline
        // would fail the round for all of them
        Context previous = Context.ROOT.attach();
        try {
            return completable(stub(ch).readRevision(ReadRevisionRequest.getDefaultInstance()))
                    .thenApply(ReadRevisionResponse::getRevision);
        } finally {
            Context.ROOT.detach(previous);
        }
    }

    private ForwardGrpc.ForwardFutureStub stub(ManagedChannel ch) {
        return ForwardGrpc.newFutureStub(ch).withDeadlineAfter(deadlines.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The call's outcome, completed where the answer arrives (the channel's transport thread). */
    private static <T> CompletableFuture<T> completable(ListenableFuture<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Futures.addCallback(call, new FutureCallback<>() {
            @Override
            public void onSuccess(T r) {
                f.complete(r);
            }

            @Override
            public void onFailure(Throwable t) {
                f.completeExceptionally(t);
            }
        }, MoreExecutors.directExecutor());
        return f;
    }

    private ManagedChannel leaderChannel() {
        if (closed) {
            return null;
        }
        var info = division.getInfo();
        RaftPeerId leader = info.getLeaderId();
        if (leader == null || info.isLeader()) {
            return null;
        }
        MemberAttributes attrs = members.get(MemberIds.memberId(leader));
        if (attrs == null || attrs.getClientUrlsCount() == 0) {
            return null;
        }
        Route r = route;
        if (r != null && r.leader() == attrs) { // the registry hands out the same instance until it changes
            return r.channel();
        }
        String target = target(attrs.getClientUrls(0), attrs.getPeerAddress());
        if (target == null) {
            return null;
        }
        // answers only complete futures (see forward), so they are taken where they arrive
        ManagedChannel ch = channels.computeIfAbsent(target, t -> NettyChannelBuilder.forTarget(t)
                .usePlaintext().directExecutor().maxInboundMessageSize(64 << 20).build());
        route = new Route(attrs, ch);
        return ch;
    }

    /**
     * {@code host:port} to dial for a member's client URL; a wildcard listen host (the
     * member listens on every interface) is replaced by the host of its peer address.
     */
    static String target(String clientUrl, String peerAddress) {
        URI u;
        try {
            u = URI.create(clientUrl);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String host = u.getHost();
        if (host == null || u.getPort() < 0) {
            return null;
        }
        if (host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::")) {
            int colon = peerAddress.lastIndexOf(':');
            host = colon > 0 ? peerAddress.substring(0, colon) : "127.0.0.1";
        }
        return host + ":" + u.getPort();
    }

    @Override
    public void close() {
        closed = true;
        streams.values().forEach(ForwardStream::close);
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
