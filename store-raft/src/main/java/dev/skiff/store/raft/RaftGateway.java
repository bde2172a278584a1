package dev.skiff.store.raft;

import static dev.skiff.store.raft.RaftOutcomes.cause;
import static dev.skiff.store.raft.RaftOutcomes.lastRevision;
import static dev.skiff.store.raft.RaftOutcomes.toStoreException;
import static dev.skiff.store.raft.RaftOutcomes.unwrap;

import dev.skiff.proto.etcd.InternalQuery;
import dev.skiff.proto.etcd.InternalRaftBatch;
import dev.skiff.proto.etcd.InternalRaftBatchResponse;
import dev.skiff.proto.etcd.InternalRaftRequest;
import dev.skiff.proto.etcd.InternalRaftResponse;
import dev.skiff.store.StoreError;
import dev.skiff.store.StoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * How client requests reach Raft, all asynchronous (no gRPC thread waits):
 * <ul>
 *   <li>writes are submitted to the local server when it leads (no network hop); a follower
 *       sends its batches to the leader's endpoint ({@link LeaderForwarder}), or through a
 *       Ratis client that finds the leader while that endpoint is unknown (any member serves
 *       clients);</li>
 *   <li>linearizable reads are local reads behind a shared barrier: a ReadIndex round on
 *       the leader; on a follower, the leader's applied revision after such a round, asked
 *       for on the forwarding channel, which the follower waits to apply before it reads;</li>
 *   <li>serializable reads query the local state machine directly;</li>
 *   <li>leader queries (lease keep-alive and time-to-live) run on the leader's state
 *       machine, which alone tracks lease expiry.</li>
 * </ul>
 * Ratis failures become {@link StoreException}s with etcd's errors.
 */
public final class RaftGateway implements AutoCloseable {
    private final RaftServer server;
    private final RaftServer.Division division;
    private final StoreStateMachine stateMachine;
    private final RaftClient forwarder;
    private final LeaderForwarder toLeader;
    private final Deadlines deadlines;
    private final ClientId localClientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    /**
     * Log entries of a lone leader's writes being written at once: two keep the log busy
     * while the next batch fills.
     */
    private static final int MAX_ENTRIES_IN_FLIGHT_ALONE = 2;
    /**
     * Log entries of the leader's writes being replicated at once when it has followers. Each
     * entry costs every member a dozen thread wake-ups, and with three members on two cores the
     * CPU is the limit: one entry at a time makes bigger entries and fewer wake-ups per write.
     * Interleaved runs, puts/s at 32 and 128 clients: 3,415 and 6,288 with one against 2,729 and
     * 5,735 with two; then 2,734 and 6,260 against 2,500 and 6,105 (earlier, four was slower than two).
     */
    private static final int MAX_ENTRIES_IN_FLIGHT_REPLICATED = 1;
    /**
     * Batches a follower has forwarded and awaits answers for. More than the leader's one or two:
     * a forwarded batch is only a call, regrouped into the leader's entries there, and with
     * two a follower's writes waited behind its previous batches' whole round trip, which
     * left the leader with one entry in flight about half the time (32 clients: 1,918 puts/s
     * with 2, 2,325 with 8).
     */
    private static final int MAX_FORWARDS_IN_FLIGHT = 8;
    /** How long a serializable read waits for this member's answered writes before it asks the leader. */
    private static final long APPLY_GRACE_MS = 50;
    /** The highest revision this member has answered a write with (see {@link #answeredHere}). */
    private final AtomicLong answeredRevision = new AtomicLong();
    private final ProposalBatcher batcher = new ProposalBatcher(req -> proposeNow(req).thenApply(this::answeredHere),
            this::maxInFlight, 2 << 20, 512, task -> Thread.ofVirtual().name("store-proposal").start(task));
    private final ReadIndexBatcher reads = new ReadIndexBatcher(this::readIndexNow,
            task -> Thread.ofVirtual().name("store-read").start(task));
    private static final Message READ_BARRIER = message(InternalQuery.newBuilder()
            .setReadBarrier(dev.skiff.proto.etcd.ReadBarrier.getDefaultInstance()).build().toByteArray());
    /** The division's own asynchronous entry point, if it has one (see {@link #submitLocal}). */
    private final RaftClientAsynchronousProtocol direct;

    public RaftGateway(RaftServer server, RaftServer.Division division, StoreStateMachine stateMachine,
                       RaftClient forwarder, MemberRegistry members, Duration timeout) {
        this.server = server;
        this.deadlines = new Deadlines(timeout);
        this.toLeader = new LeaderForwarder(division, members, deadlines);
        this.division = division;
        this.stateMachine = stateMachine;
        this.forwarder = forwarder;
        this.direct = division instanceof RaftClientAsynchronousProtocol p ? p : null;
    }

    private int maxInFlight() {
        if (!division.getInfo().isLeader()) {
            return MAX_FORWARDS_IN_FLIGHT;
        }
        return division.getRaftConf().getCurrentPeers().size() > 1
                ? MAX_ENTRIES_IN_FLIGHT_REPLICATED : MAX_ENTRIES_IN_FLIGHT_ALONE;
    }

    /**
     * Whether this member's writes wait for the entry in flight: the next entry then leaves as
     * soon as that one is applied, and its append tells the followers the new commit index.
     */
    public boolean writesQueued() {
        return batcher.hasQueued();
    }

    public RaftServer.Division division() {
        return division;
    }

    public RaftClient client() {
        return forwarder;
    }

    public StoreStateMachine stateMachine() {
        return stateMachine;
    }

    /**
     * Replicates and applies one request; completes with its outcome (errors as
     * exceptions). Concurrent requests share log entries (see {@link ProposalBatcher}).
     */
    public CompletableFuture<InternalRaftResponse> propose(InternalRaftRequest req) {
        return batcher.submit(req);
    }

    /**
     * Proposes a member's own announcement through Raft alone (the local division, else the
     * Ratis client over the peer network), never through another member's client endpoint:
     * the leader's {@code Forward} service refuses member attributes, so nobody who reaches a
     * client port can redirect where followers forward their writes.
     */
    public CompletableFuture<InternalRaftResponse> proposeMemberAttributes(InternalRaftRequest req) {
        return proposeThroughRaft(req);
    }

    /** {@link #propose} for several requests that should share log entries; one future each, in order. */
    public List<CompletableFuture<InternalRaftResponse>> proposeAll(List<InternalRaftRequest> reqs) {
        return batcher.submitAll(reqs);
    }

    /**
     * Waits (bounded by the request timeout) until this member has applied every write the
     * cluster acknowledged before the call: at once on the leader, a shared ReadIndex round on
     * a follower. Failures are ignored: the caller then proceeds with what it has.
     */
    public void catchUp() {
        if (isLeader()) {
            return;
        }
        try {
            reads.await().get(deadlines.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // no round passed: serve from what this member has
        }
    }

    /** Whether this member leads now (it may stop at any moment). */
    public boolean isLeader() {
        return division.getInfo().isLeader();
    }

    @Override
    public void close() {
        toLeader.close();
        deadlines.close();
    }

    /**
     * Sends one log entry's worth of requests: the leader submits it to Raft; a follower
     * sends it to the leader's endpoint (see {@link LeaderForwarder}), or through the Ratis
     * client while that endpoint is unknown. Completes with the leader's outcome, once the
     * entry is committed (the batcher records it through {@link #answeredHere}).
     */
    private CompletableFuture<InternalRaftResponse> proposeNow(InternalRaftRequest req) {
        if (division.getInfo().isLeader()) {
            return proposeThroughRaft(req);
        }
        InternalRaftBatch batch = req.hasBatch() ? req.getBatch() : InternalRaftBatch.newBuilder().addRequests(req).build();
        CompletableFuture<InternalRaftBatchResponse> viaLeader = toLeader.forward(batch);
        if (viaLeader == null) {
            return proposeThroughRaft(req);
        }
        return viaLeader.exceptionallyCompose(err -> CompletableFuture.failedFuture(toStoreException(cause(err))))
                .thenApply(resp -> req.hasBatch()
                        ? InternalRaftResponse.newBuilder().setBatch(resp).build()
                        : unwrap(resp.getResponses(0)));
    }

    /**
     * {@code resp}, its revision recorded as answered here, to be answered at once. A follower
     * used to answer a forwarded write only once it had applied it itself, as etcd's followers
     * do; under load it learns each commit only with the leader's next append, and that wait
     * put ~7 ms on every forwarded write at 32 clients (followers' puts 1,948/s, 2,854/s without
     * it). Its clients still read their own writes here: a serializable read waits until this
     * member has applied every revision it has answered ({@link #readSerializable}); linearizable
     * reads and watches "from now" pass a barrier, which covers them; a watch from a later
     * revision waits for it.
     */
    private InternalRaftResponse answeredHere(InternalRaftResponse resp) {
        answeredRevision.accumulateAndGet(lastRevision(resp), Math::max);
        return resp;
    }

    /**
     * Submits to the local division when it leads, else (or when it has just stopped
     * leading) sends through the Ratis client, which finds the leader over the peer network.
     */
    private CompletableFuture<InternalRaftResponse> proposeThroughRaft(InternalRaftRequest req) {
        Message msg = ProtoMessage.of(req);
        if (!division.getInfo().isLeader()) {
            return finish(forward(msg, false));
        }
        return finish(submitLocal(msg, RaftClientRequest.writeRequestType())
                .thenCompose(r -> r.isSuccess() ? CompletableFuture.completedFuture(r) : forward(msg, false)));
    }

    /**
     * A read at this member that reflects every write acknowledged before it started.
     * Concurrent reads share one ReadIndex round (see {@link ReadIndexBatcher}), then read
     * the applied state; if the round cannot pass here, the read goes to the leader.
     */
    public CompletableFuture<InternalRaftResponse> readLinearizable(InternalQuery q) {
        return deadlines.within(reads.await())
                .exceptionallyCompose(err -> CompletableFuture.failedFuture(toStoreException(cause(err))))
                .thenCompose(passed -> passed ? readApplied(q) : finish(forward(message(q.toByteArray()), true)));
    }

    /**
     * One read barrier at this member. The leader runs a Ratis ReadIndex round, which answers
     * once the read index is applied here (0.3 ms: the leader's lease spares it a heartbeat).
     * A follower asks the leader for the revision a read must see ({@link #readRevision}) and
     * waits until it has applied that revision itself: one call on the channel its writes are
     * forwarded on. Ratis' follower round took 14-19 ms under load (three members on two
     * cores: its client executor, a heartbeat it triggers, the answer on gRPC's default
     * executor). That round remains the fallback while the leader's endpoint is unknown or
     * when the call fails (a leader that just stepped down answers "not leader").
     */
    private CompletableFuture<Boolean> readIndexNow() {
        if (!isLeader()) {
            CompletableFuture<Long> leaderRevision = toLeader.readRevision();
            if (leaderRevision != null) {
                return leaderRevision.thenCompose(stateMachine::whenApplied)
                        .exceptionallyCompose(err -> ratisReadIndex());
            }
        }
        return ratisReadIndex();
    }

    private CompletableFuture<Boolean> ratisReadIndex() {
        return submitLocal(READ_BARRIER, RaftClientRequest.readRequestType()).thenApply(RaftClientReply::isSuccess);
    }

    /**
     * At the leader, the revision a linearizable read started now must see: after a read
     * barrier here (shared with this member's own reads), which confirms this member still
     * leads and has applied every write acknowledged before the call, the revision it has
     * applied. Fails with "not leader" elsewhere.
     */
    public CompletableFuture<Long> readRevision() {
        if (!isLeader()) {
            return CompletableFuture.failedFuture(StoreError.NOT_LEADER.exception());
        }
        return deadlines.within(reads.await()).thenApply(passed -> {
            if (!passed) {
                throw StoreError.NOT_LEADER.exception();
            }
            return stateMachine.revision();
        });
    }

    /**
     * A read of this member's applied state, possibly stale (etcd's serializable), but never
     * older than a write this member has answered: it waits for that apply (bounded, as the
     * follower's answer once was, by a grace period and then a barrier), continuing off the
     * state-machine updater that completes the wait.
     */
    public CompletableFuture<InternalRaftResponse> readSerializable(InternalQuery q) {
        long answered = answeredRevision.get();
        if (stateMachine.revision() >= answered) {
            return readApplied(q);
        }
        return stateMachine.whenApplied(answered)
                .completeOnTimeout(false, APPLY_GRACE_MS, TimeUnit.MILLISECONDS)
                .thenCompose(appliedInTime -> appliedInTime ? CompletableFuture.completedFuture(true)
                        : deadlines.within(reads.await()).handle((passed, err) -> false))
                .thenComposeAsync(ignored -> readApplied(q), task -> Thread.ofVirtual().name("store-read").start(task));
    }

    /** A read of this member's applied state as it is now. */
    private CompletableFuture<InternalRaftResponse> readApplied(InternalQuery q) {
        try {
            return CompletableFuture.completedFuture(unwrap(stateMachine.query(q)));
        } catch (StoreException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A query answered by the leader's state machine. */
    public CompletableFuture<InternalRaftResponse> leaderQuery(InternalQuery q) {
        Message msg = message(q.toByteArray());
        if (division.getInfo().isLeader()) {
            return readApplied(q).exceptionallyCompose(e -> {
                if (cause(e) instanceof StoreException se && se.error() == StoreError.NOT_LEADER) {
                    return finish(forward(msg, true));
                }
                return CompletableFuture.failedFuture(cause(e));
            });
        }
        return finish(forward(msg, true));
    }

    /**
     * Sends through the Ratis client, which finds the leader and retries. Its blocking
     * API runs on a virtual thread: requests stay independent (the async API orders all
     * requests of a client, so one failure would hold up the others).
     */
    private CompletableFuture<RaftClientReply> forward(Message msg, boolean readOnly) {
        CompletableFuture<RaftClientReply> f = new CompletableFuture<>();
        Thread.ofVirtual().name("raft-forward").start(() -> {
            try {
                f.complete(readOnly ? forwarder.io().sendReadOnly(msg) : forwarder.io().send(msg));
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /**
     * Hands a request to the local division. {@code RaftServer.submitClientRequestAsync}
     * hops to Ratis' client executor and blocks the caller until that hop is done; the
     * division itself (Ratis' server implementation is a {@link RaftClientAsynchronousProtocol})
     * takes the request on the calling thread and returns at once, so it is used when present.
     */
    private CompletableFuture<RaftClientReply> submitLocal(Message msg, RaftClientRequest.Type type) {
        RaftClientRequest request = RaftClientRequest.newBuilder()
                .setClientId(localClientId)
                .setServerId(division.getId())
                .setGroupId(division.getGroup().getGroupId())
                .setCallId(callIds.incrementAndGet())
                .setMessage(msg)
                .setType(type)
                .setTimeoutMs(deadlines.timeout().toMillis())
                .build();
        try {
            return direct != null ? direct.submitClientRequestAsync(request) : server.submitClientRequestAsync(request);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<InternalRaftResponse> finish(CompletableFuture<RaftClientReply> reply) {
        return deadlines.within(reply).handle((r, err) -> {
            if (err != null) {
                throw toStoreException(cause(err));
            }
            if (!r.isSuccess()) {
                throw toStoreException(r.getException());
            }
            try {
                return unwrap(InternalRaftResponse.parseFrom(r.getMessage().getContent().asReadOnlyByteBuffer()));
            } catch (IOException e) {
                throw StoreError.INVALID_ARGUMENT.exception("etcdserver: unreadable reply: " + e.getMessage());
            }
        });
    }

    private static Message message(byte[] bytes) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
    }
}
