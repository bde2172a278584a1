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

    void pushIfDue() {
        // triggerHeartbeat wakes this appender again; "pushed" makes that second check say no
        if (push != null && push.due(this, pushed)) {
            triggerHeartbeat();
        }
    }
}
