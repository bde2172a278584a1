package dev.skiff.store.raft;

import dev.skiff.proto.etcd.InternalError;
import dev.skiff.proto.etcd.InternalQuery;
import dev.skiff.proto.etcd.InternalRaftRequest;
import dev.skiff.proto.etcd.InternalRaftResponse;
import dev.skiff.proto.etcd.LeaseKeepAliveResponse;
import dev.skiff.proto.etcd.LeaseLeasesResponse;
import dev.skiff.proto.etcd.LeaseStatus;
import dev.skiff.proto.etcd.LeaseTimeToLiveResponse;
import dev.skiff.proto.etcd.ResponseHeader;
import dev.skiff.store.StoreError;
import dev.skiff.store.StoreException;
import dev.skiff.store.apply.KvApplier;
import dev.skiff.store.lease.Lease;
import dev.skiff.store.watch.WatchHub;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine: it only adapts log entries and queries to {@link StoreState}
 * (as Ratis' {@code FileStoreStateMachine} does to its {@code FileStore}), tells the
 * {@link WatchHub} what changed, loads snapshots through {@link SimpleStateMachineStorage}
 * and takes them with a {@link SnapshotWriter}. Lease expiry ownership follows leadership:
 * {@link #notifyLeaderReady()} promotes the lessor, losing leadership demotes it.
 *
 * <p>Threading (Ratis' contract): {@link #applyTransaction} and {@link #takeSnapshot} run
 * on the one state-machine updater thread; {@link #query} runs on any thread; snapshots
 * are written on the {@link SnapshotWriter}'s thread.
 */
public final class StoreStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(StoreStateMachine.class);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final StoreState state;
    private final KvApplier applier;
    private final WatchHub hub;
    private final ResponseHeader identity;
    private volatile long term;
    private final SnapshotWriter snapshots = new SnapshotWriter(storage);
    private final AppliedRevisions applied = new AppliedRevisions();

    private final CommitPush commitPush;

    /**
     * {@code identity} carries cluster_id and member_id for response headers; {@code commitPush}
     * is told of every applied entry (the same one the Raft server's parameters carry).
     */
    public StoreStateMachine(StoreState state, WatchHub hub, ResponseHeader identity, CommitPush commitPush) {
        this.state = state;
        this.commitPush = commitPush;
        this.applier = state.applier();
        this.hub = hub;
        this.identity = identity;
    }


    /** The revision this member has applied. */
    public long revision() {
        return state.mvcc().currentRevision();
    }

    /** Completes with {@code true} once this member has applied {@code revision}. */
    CompletableFuture<Boolean> whenApplied(long revision) {
        return applied.await(revision);
    }

    /** Header for a response read now: identity, current term and {@code revision} (0: the current one). */
    public ResponseHeader header(long revision) {
        long rev = revision > 0 ? revision : state.mvcc().currentRevision();
        return identity.toBuilder().setRaftTerm(term).setRevision(rev).build();
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        SnapshotInfo latest = storage.getLatestSnapshot();
        load(latest);
        snapshots.loaded(latest);
    }

    @Override
    public void reinitialize() throws IOException {
        SnapshotInfo latest = storage.loadLatestSnapshot();
        load(latest);
        snapshots.loaded(latest);
        hub.markAllUnsynced();
        applied.advance(revision());
    }

    @Override
    public SnapshotInfo getLatestSnapshot() {
        return snapshots.latest();
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    /** Keeps a local proposal's request with its entry, so the leader applies it without parsing it back. */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext trx = super.startTransaction(request);
        if (request.getMessage() instanceof ProtoMessage<?> m && m.value() instanceof InternalRaftRequest r) {
            trx.setStateMachineContext(r);
        }
        return trx;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        term = Math.max(term, entry.getTerm());
        InternalRaftResponse resp;
        try {
            InternalRaftRequest req = trx.getStateMachineContext() instanceof InternalRaftRequest r ? r
                    : InternalRaftRequest.parseFrom(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
            resp = state.change(() -> apply(req, entry.getTerm()));
        } catch (StoreException e) {
            resp = error(e.error(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.error("log entry {} could not be applied: {}", entry.getIndex(), e.toString());
            resp = error(StoreError.INVALID_ARGUMENT, "etcdserver: " + e.getMessage());
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        commitPush.applied(entry.getIndex());
        applied.advance(revision());
        return CompletableFuture.completedFuture(message(resp));
    }

    private InternalRaftResponse apply(InternalRaftRequest req, long entryTerm) {
        InternalRaftResponse.Builder out = InternalRaftResponse.newBuilder();
        switch (req.getRequestCase()) {
            case PUT -> {
                var a = applier.put(req.getPut());
                hub.notify(a.revision(), a.events());
                out.setPut(a.response().toBuilder().setHeader(header(a.revision(), entryTerm)));
            }
            case DELETE_RANGE -> {
                var a = applier.deleteRange(req.getDeleteRange());
                hub.notify(a.revision(), a.events());
                out.setDeleteRange(a.response().toBuilder().setHeader(header(a.revision(), entryTerm)));
            }
            case TXN -> {
                var a = applier.txn(req.getTxn());
                hub.notify(a.revision(), a.events());
                out.setTxn(a.response().toBuilder().setHeader(header(a.revision(), entryTerm)));
            }
            case COMPACTION -> {
                var r = applier.compact(req.getCompaction());
                out.setCompaction(r.toBuilder().setHeader(header(r.getHeader().getRevision(), entryTerm)));
            }
            case LEASE_GRANT -> {
                var r = applier.leaseGrant(req.getLeaseGrant());
                out.setLeaseGrant(r.toBuilder().setHeader(header(r.getHeader().getRevision(), entryTerm)));
            }
            case LEASE_REVOKE -> {
                var a = applier.leaseRevoke(req.getLeaseRevoke());
                hub.notify(a.revision(), a.events());
                out.setLeaseRevoke(a.response().toBuilder().setHeader(header(a.revision(), entryTerm)));
            }
            case MEMBER_ATTRIBUTES -> {
                state.members().publish(req.getMemberAttributes());
                out.setMemberAttributes(req.getMemberAttributes());
            }
            case BATCH -> {
                var batch = dev.skiff.proto.etcd.InternalRaftBatchResponse.newBuilder();
                for (InternalRaftRequest one : req.getBatch().getRequestsList()) {
                    try {
                        batch.addResponses(one.hasBatch()
                                ? error(StoreError.INVALID_ARGUMENT, "etcdserver: nested batch")
                                : apply(one, entryTerm));
                    } catch (StoreException e) {
                        batch.addResponses(error(e.error(), e.getMessage()));
                    }
                }
                out.setBatch(batch);
            }
            default -> throw StoreError.INVALID_ARGUMENT.exception("etcdserver: empty log entry");
        }
        return out.build();
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        InternalRaftResponse resp;
        try {
            InternalQuery q = InternalQuery.parseFrom(request.getContent().asReadOnlyByteBuffer());
            resp = query(q);
        } catch (StoreException e) {
            resp = error(e.error(), e.getMessage());
        } catch (IOException e) {
            resp = error(StoreError.INVALID_ARGUMENT, "etcdserver: bad query: " + e.getMessage());
        }
        return CompletableFuture.completedFuture(message(resp));
    }

    /** Serves a query against this member's state, with no Raft round (serializable). */
    public InternalRaftResponse query(InternalQuery q) {
        long rev = state.mvcc().currentRevision();
        InternalRaftResponse.Builder out = InternalRaftResponse.newBuilder();
        switch (q.getQueryCase()) {
            case RANGE -> {
                var r = applier.range(q.getRange());
                out.setRange(r.toBuilder().setHeader(header(r.getHeader().getRevision())));
            }
            case LEASE_KEEP_ALIVE -> {
                long id = q.getLeaseKeepAlive().getID();
                long ttl = state.lessor().renew(id);
                out.setLeaseKeepAlive(LeaseKeepAliveResponse.newBuilder().setHeader(header(rev)).setID(id).setTTL(ttl));
            }
            case LEASE_TIME_TO_LIVE -> {
                long id = q.getLeaseTimeToLive().getID();
                Lease l = state.lessor().lookup(id);
                var b = LeaseTimeToLiveResponse.newBuilder().setHeader(header(rev)).setID(id).setTTL(-1);
                if (l != null) {
                    b.setTTL(l.remainingTtl()).setGrantedTTL(l.grantedTtl());
                    if (q.getLeaseTimeToLive().getKeys()) {
                        b.addAllKeys(l.keys());
                    }
                }
                out.setLeaseTimeToLive(b);
            }
            case LEASE_LEASES -> {
                var b = LeaseLeasesResponse.newBuilder().setHeader(header(rev));
                state.lessor().ids().forEach(id -> b.addLeases(LeaseStatus.newBuilder().setID(id)));
                out.setLeaseLeases(b);
            }
            case READ_BARRIER -> out.setReadBarrier(q.getReadBarrier());
            default -> throw StoreError.INVALID_ARGUMENT.exception("etcdserver: empty query");
        }
        return out.build();
    }

    /** Starts a snapshot in the background, or reports one finished since Ratis last asked. */
    @Override
    public long takeSnapshot() {
        return snapshots.poll(getLastAppliedTermIndex(), state::capture);
    }

    @Override
    public void close() throws IOException {
        snapshots.close();
        super.close();
    }

    private void load(SnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        SingleFileSnapshotInfo single = (SingleFileSnapshotInfo) snapshot;
        File file = single.getFile().getPath().toFile();
        if (single.hasMd5()) {
            MD5FileUtil.verifySavedMD5(file, single.getFile().getFileDigest());
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(file), 1 << 16))) {
            state.read(in);
        }
        setLastAppliedTermIndex(snapshot.getTermIndex());
        term = Math.max(term, snapshot.getTerm());
        LOG.info("loaded snapshot {} (revision {})", snapshot.getTermIndex(), state.mvcc().currentRevision());
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        if (!groupMemberId.getPeerId().equals(newLeaderId) && state.lessor().isPrimary()) {
            state.lessor().demote();
            LOG.info("lost leadership to {}: lease expiry handed over", newLeaderId);
        }
    }

    @Override
    public void notifyLeaderReady() {
        state.lessor().promote();
        LOG.info("became leader: {} leases restarted with their full TTL", state.lessor().size());
    }

    @Override
    public void notifyTermIndexUpdated(long t, long index) {
        term = Math.max(term, t);
        super.notifyTermIndexUpdated(t, index);
    }

    private ResponseHeader header(long revision, long entryTerm) {
        return identity.toBuilder().setRaftTerm(entryTerm).setRevision(revision).build();
    }

    private static InternalRaftResponse error(StoreError code, String message) {
        return InternalRaftResponse.newBuilder()
                .setError(InternalError.newBuilder().setCode(code.name()).setMessage(message)).build();
    }

    /**
     * An answer as bytes: Ratis keeps every answer in its retry cache for a minute, on every
     * member, and as objects (a {@link ProtoMessage}) they would take several times the memory
     * (some 100 MB a member at 10,000 puts/s) to save one parse on the leader.
     */
    private static Message message(InternalRaftResponse resp) {
        return Message.valueOf(UnsafeByteOperations.unsafeWrap(resp.toByteArray()));
    }
}
