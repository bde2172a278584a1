package dev.skiff.store.grpc;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.AlarmRequest;
import dev.skiff.proto.etcd.AlarmResponse;
import dev.skiff.proto.etcd.DefragmentRequest;
import dev.skiff.proto.etcd.DefragmentResponse;
import dev.skiff.proto.etcd.HashKVRequest;
import dev.skiff.proto.etcd.HashKVResponse;
import dev.skiff.proto.etcd.HashRequest;
import dev.skiff.proto.etcd.HashResponse;
import dev.skiff.proto.etcd.MaintenanceGrpc;
import dev.skiff.proto.etcd.MoveLeaderRequest;
import dev.skiff.proto.etcd.MoveLeaderResponse;
import dev.skiff.proto.etcd.SnapshotRequest;
import dev.skiff.proto.etcd.SnapshotResponse;
import dev.skiff.proto.etcd.StatusRequest;
import dev.skiff.proto.etcd.StatusResponse;
import dev.skiff.store.StoreError;
import dev.skiff.store.StoreException;
import dev.skiff.store.mvcc.HistoryHash;
import dev.skiff.store.raft.MemberIds;
import dev.skiff.store.raft.RaftGateway;
import dev.skiff.store.raft.StoreState;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * etcd's Maintenance service: status (what {@code etcdctl endpoint status} shows), a
 * snapshot stream of the store's state, hashes of the key-value history to compare
 * members ({@code etcdctl endpoint hashkv}), no alarms, defragment as a no-op (the store
 * keeps no free pages), leadership transfer.
 */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    /** The etcd API version this store implements, as etcdctl prints it. */
    public static final String VERSION = "3.4.0";
    private static final int CHUNK = 64 * 1024;
    /** What etcdctl expects a snapshot's length, less its 32-byte digest, to be a multiple of. */
    static final int SNAPSHOT_ALIGN = 512;

    private final RaftGateway raft;
    private final StoreState state;
    private final Path dataDir;

    public MaintenanceService(RaftGateway raft, StoreState state, Path dataDir) {
        this.raft = raft;
        this.state = state;
        this.dataDir = dataDir;
    }

    @Override
    public void status(StatusRequest r, StreamObserver<StatusResponse> out) {
        var info = raft.division().getInfo();
        RaftPeerId leader = info.getLeaderId();
        long size = diskUsage();
        out.onNext(StatusResponse.newBuilder()
                .setHeader(raft.stateMachine().header(state.mvcc().currentRevision()))
                .setVersion(VERSION)
                .setDbSize(size)
                .setDbSizeInUse(size)
                .setLeader(leader == null ? 0 : MemberIds.memberId(leader))
                .setRaftIndex(raft.division().getRaftLog().getLastEntryTermIndex().getIndex())
                .setRaftTerm(info.getCurrentTerm())
                .setRaftAppliedIndex(info.getLastAppliedIndex())
                .build());
        out.onCompleted();
    }

    /** This member's hash of its history up to a revision (0: its newest), as it stands here. */
    @Override
    public void hashKV(HashKVRequest r, StreamObserver<HashKVResponse> out) {
        HistoryHash.Result h;
        try {
            h = HistoryHash.of(state.mvcc(), r.getRevision());
        } catch (StoreException e) {
            out.onError(ErrorMapper.toStatus(e));
            return;
        }
        out.onNext(HashKVResponse.newBuilder().setHeader(raft.stateMachine().header(state.mvcc().currentRevision()))
                .setHash(h.hash()).setCompactRevision(h.compactRevision()).build());
        out.onCompleted();
    }

    /** The whole store has no file of its own to hash: the history up to the newest revision is its data. */
    @Override
    public void hash(HashRequest r, StreamObserver<HashResponse> out) {
        HistoryHash.Result h = HistoryHash.of(state.mvcc(), 0);
        out.onNext(HashResponse.newBuilder().setHeader(raft.stateMachine().header(h.revision()))
                .setHash(h.hash()).build());
        out.onCompleted();
    }

    @Override
    public void alarm(AlarmRequest r, StreamObserver<AlarmResponse> out) {
        out.onNext(AlarmResponse.newBuilder().setHeader(raft.stateMachine().header(0)).build());
        out.onCompleted();
    }

    @Override
    public void defragment(DefragmentRequest r, StreamObserver<DefragmentResponse> out) {
        out.onNext(DefragmentResponse.newBuilder().setHeader(raft.stateMachine().header(0)).build());
        out.onCompleted();
    }

    /**
     * The store's image, in Skiff's own format (not a bbolt file), streamed as etcd streams its
     * database: the bytes, then their SHA-256 in a last message. etcdctl's {@code snapshot save}
     * finds that trailer by length alone (32 bytes past a multiple of 512, as bbolt's pages make
     * it), so the image is padded with zeros to a multiple of 512 first; the digest covers the
     * padding, as etcd's covers the whole file.
     */
    @Override
    public void snapshot(SnapshotRequest r, StreamObserver<SnapshotResponse> out) {
        byte[] image;
        long rev;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            rev = state.write(new DataOutputStream(bytes));
            bytes.write(new byte[(SNAPSHOT_ALIGN - bytes.size() % SNAPSHOT_ALIGN) % SNAPSHOT_ALIGN]);
            image = bytes.toByteArray();
        } catch (IOException e) {
            out.onError(ErrorMapper.toStatus(StoreError.TIMEOUT.exception("etcdserver: snapshot failed: " + e.getMessage())));
            return;
        }
        byte[] digest = sha256(image);
        long total = (long) image.length + digest.length;
        for (int off = 0; off < image.length; off += CHUNK) {
            int n = Math.min(CHUNK, image.length - off);
            out.onNext(SnapshotResponse.newBuilder().setHeader(raft.stateMachine().header(rev))
                    .setRemainingBytes(total - off - n).setBlob(ByteString.copyFrom(image, off, n)).build());
        }
        out.onNext(SnapshotResponse.newBuilder().setHeader(raft.stateMachine().header(rev))
                .setRemainingBytes(0).setBlob(ByteString.copyFrom(digest)).build());
        out.onCompleted();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public void moveLeader(MoveLeaderRequest r, StreamObserver<MoveLeaderResponse> out) {
        Unary.reply(() -> CompletableFuture.supplyAsync(() -> {
            RaftPeerId target = raft.division().getRaftConf().getCurrentPeers().stream()
                    .map(p -> p.getId()).filter(id -> MemberIds.memberId(id) == r.getTargetID()).findFirst()
                    .orElseThrow(StoreError.MEMBER_NOT_FOUND::exception);
            try {
                raft.client().admin().transferLeadership(target, 10_000);
            } catch (IOException e) {
                throw StoreError.TIMEOUT.exception("etcdserver: leadership transfer failed: " + e.getMessage());
            }
            return MoveLeaderResponse.newBuilder().setHeader(raft.stateMachine().header(0)).build();
        }, t -> Thread.ofVirtual().start(t)), x -> x, out);
    }

    private long diskUsage() {
        try (Stream<Path> files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
