package dev.skiff.store.raft;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;

/**
 * Ratis' gRPC log appender, unchanged, except that it heartbeats its follower when
 * {@link CommitPush} says the follower should hear of the commit index now: when the leader's
 * apply thread asks, and each time Ratis wakes the appender (as it does when the follower answers
 * an append).
 */
final class PushingLogAppender extends GrpcLogAppender {
    private final CommitPush push;
    /** The highest commit index pushed to this follower. */
    private final AtomicLong pushed = new AtomicLong(-1);

    PushingLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower, CommitPush push) {
        super(server, state, follower);
        this.push = push;
    }

    @Override
    public void notifyLogAppender() {
        super.notifyLogAppender();
        pushIfDue();
    }

    /** Heartbeats the follower if it should hear of a commit index not yet pushed to it. */
    void pushIfDue() {
        long before = pushed.get();
        long target = push.toPush(this, before);
        // triggerHeartbeat wakes this appender again; "pushed" makes that second check say no
        if (target > before && pushed.compareAndSet(before, target)) {
            triggerHeartbeat();
        }
    }
}
