package dev.skiff.store.raft;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.raftlog.RaftLog;

/**
 * Tells followers of a new commit index at once, as etcd's leader does (an empty append after
 * each commit): Ratis' leader otherwise lets a follower learn it only with the next entry or
 * heartbeat (half the election timeout), so a follower applied, and its watchers saw, the last
 * write of a burst ~500 ms late. Ratis' own remedy, a metadata log entry per commit, costs a log
 * write and fsync on every member and nearly halved throughput with three; a heartbeat costs one
 * small message per follower.
 *
 * <p>Not while the leader's next entry follows at once ({@link #skipWhile}): that entry's append
 * carries the commit index, and under load a heartbeat per entry and follower was a round trip
 * through three processes, about a dozen thread wake-ups, for nothing. Interleaved runs at 32
 * clients: 3,330-4,618 puts/s without those heartbeats against 2,645-3,729 with them. So the
 * apply thread releases an entry's commit for pushing ({@link #applied}) once it has applied it
 * and no write waits for the next entry; deciding at commit time instead (before the apply, when
 * fewer writes have queued) sent 4-7 times as many heartbeats at 32 clients.
 *
 * <p>A heartbeat sent while an append to that follower awaits its reply carries no commit index
 * (Ratis cannot tell which entries the follower holds), so such a follower is pushed when that
 * reply arrives: Ratis wakes the follower's appender then, and {@link PushingLogAppender} asks
 * {@link #toPush} each time it is woken.
 *
 * <p>Thread-safe: {@link #applied} runs on the apply thread, {@link #toPush} on whichever Ratis
 * thread wakes an appender (gRPC's executor for replies, the leader's event thread, the apply
 * thread through {@link #applied}).
 */
public final class CommitPush {
    static final String PARAMETER = "skiff.commit-push";

    private final Map<RaftPeerId, PushingLogAppender> appenders = new ConcurrentHashMap<>();
    private volatile BooleanSupplier nextEntryFollows = () -> false;
    /** The highest log index the apply thread has released for pushing. */
    private volatile long released = -1;

    public CommitPush() {
    }

    /**
     * The leader's proposals say whether another entry follows the one just applied at once;
     * its append then carries the commit index, and a heartbeat would only add a round trip
     * (and its dozen thread wake-ups) per follower and entry under load.
     */
    public void skipWhile(BooleanSupplier nextEntryFollows) {
        this.nextEntryFollows = nextEntryFollows;
    }

    /** A new appender replaces the previous one to the same follower (a new term, or a restart). */
    void register(PushingLogAppender appender) {
        appenders.put(appender.getFollowerId(), appender);
    }

    /** The apply thread applied the entry at {@code index}: push it unless an entry follows at once. */
    void applied(long index) {
        if (nextEntryFollows.getAsBoolean()) {
            return;
        }
        released = index;
        appenders.values().forEach(PushingLogAppender::pushIfDue);
    }

    /**
     * The commit index {@code appender}'s follower should hear of now, or -1: one released by the
     * apply thread that is news to the follower and above {@code alreadyPushed}, while no append to
     * it is unanswered and the log holds no uncommitted entry (whose own commit comes back through
     * {@link #applied}).
     */
    long toPush(PushingLogAppender appender, long alreadyPushed) {
        RaftLog log = appender.getRaftLog();
        long committed = log.getLastCommittedIndex();
        long target = Math.min(committed, released);
        if (target <= alreadyPushed || appender.getFollower().getCommitIndex() >= target
                || log.getNextIndex() - 1 > committed || !appender.isRunning()
                || appender.hasPendingDataRequests() || nextEntryFollows.getAsBoolean()) {
            return -1;
        }
        return target;
    }
}
