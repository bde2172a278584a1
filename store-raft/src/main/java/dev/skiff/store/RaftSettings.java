package dev.skiff.store;

import dev.skiff.store.raft.PushingRpcType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis settings of a store member, in one place. Durability: the log is fsynced
 * before an entry counts as appended (unsafe and async flush stay off), so a write is
 * acknowledged only once a majority has it on disk.
 */
final class RaftSettings {
    private RaftSettings() {
    }

    static RaftProperties server(StoreConfig c) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, new PushingRpcType());
        var peer = StoreNode.socket(c.peerAddress());
        GrpcConfigKeys.Server.setHost(p, peer.getHostString());
        GrpcConfigKeys.Server.setPort(p, peer.getPort());
        RaftServerConfigKeys.setStorageDir(p, List.of(raftDir(c).toFile()));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, ms(c.electionTimeoutMin().toMillis()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, ms(c.electionTimeoutMax().toMillis()));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, ms(c.requestTimeout().toMillis()));
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setTimeout(p, ms(c.requestTimeout().toMillis()));
        // a leader whose followers answered within the lease (a fraction of the election
        // timeout) confirms a read index without another heartbeat round
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, c.snapshotThreshold());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        // a stop must be quick (the log already has everything); snapshots follow the threshold
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.max(1, Math.min(1024, c.snapshotThreshold() / 2)));
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
        RaftServerConfigKeys.Log.setAsyncFlushEnabled(p, false);
        // followers learn each new commit index from a heartbeat the leader sends at once
        // (CommitPush), not from a metadata log entry, which costs a write and fsync everywhere
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        // a follower appends what it receives on the thread that read it, as Ratis did before
        // RATIS-2235 (Ozone turns "compose" off too); compose chains every append through the
        // common pool and then the server executor, two thread hand-offs per append
        RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
        // an append leaves at once: Ratis holds it until 1 ms after the last message to that
        // follower, heartbeats included, so a write arriving just after a CommitPush heartbeat
        // waited out the rest of the millisecond; our ProposalBatcher does the batching
        RaftServerConfigKeys.Log.Appender.setWaitTimeMin(p, TimeDuration.ZERO);
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("8MB"));
        SizeInBytes maxEntry = SizeInBytes.valueOf(Math.max(4L << 20, 2 * c.maxRequestBytes() + (1 << 20)));
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, maxEntry);
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(maxEntry.getSize() * 2));
        return p;
    }

    static RaftProperties client(StoreConfig c) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        SizeInBytes max = SizeInBytes.valueOf(Math.max(8L << 20, 4 * c.maxRequestBytes()));
        GrpcConfigKeys.setMessageSizeMax(p, max);
        return p;
    }

    static RetryPolicy clientRetry() {
        return RetryPolicies.retryUpToMaximumCountWithFixedSleep(100, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS));
    }

    /** Recover when the data dir already holds a Raft log, else format a new one. */
    static RaftStorage.StartupOption startupOption(StoreConfig c) throws IOException {
        Path dir = raftDir(c);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    return RaftStorage.StartupOption.RECOVER;
                }
            }
        }
        return RaftStorage.StartupOption.FORMAT;
    }

    static Path raftDir(StoreConfig c) {
        return c.dataDir().resolve("raft");
    }

    private static TimeDuration ms(long millis) {
        return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
    }
}
