package dev.skiff.store.raft;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;

/**
 * Ratis' gRPC transport, unchanged, except that its log appenders push commit indexes to their
 * followers ({@link PushingLogAppender}, with the {@link CommitPush} found in the server's
 * parameters). Ratis instantiates this class by name ({@code raft.rpc.type}), hence the public
 * no-argument constructor.
 */
public final class PushingRpcType implements RpcType {
    public PushingRpcType() {
    }

    @Override
    public String name() {
        return PushingRpcType.class.getName();
    }

    @Override
    public RpcFactory newFactory(Parameters parameters) {
        CommitPush push = parameters.getNonNull(CommitPush.PARAMETER, CommitPush.class);
        return new GrpcFactory(parameters) {
            @Override
            public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
                PushingLogAppender appender = new PushingLogAppender(server, state, follower, push);
                push.register(appender);
                return appender;
            }
        };
    }

    /**
     * Server parameters that carry {@code push} to the factory, and have Ratis' gRPC server
     * take requests on the transport thread that read them: its handlers only pass them on to
     * the division (which runs them on its own executor), so the default executor's hop cost a
     * thread wake-up per append, reply and heartbeat for nothing.
     */
    public static Parameters parameters(CommitPush push) {
        Parameters p = new Parameters();
        p.put(CommitPush.PARAMETER, push, CommitPush.class);
        GrpcConfigKeys.Server.setServicesCustomizer(p, (builder, types) -> builder.directExecutor());
        return p;
    }
}
