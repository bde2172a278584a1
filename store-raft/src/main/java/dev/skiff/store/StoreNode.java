package dev.skiff.store;

import com.google.common.base.Throwables;
import dev.skiff.proto.etcd.InternalRaftRequest;
import dev.skiff.proto.etcd.LeaseRevokeRequest;
import dev.skiff.proto.etcd.MemberAttributes;
import dev.skiff.proto.etcd.ResponseHeader;
import dev.skiff.store.apply.RequestChecks;
import dev.skiff.store.grpc.ClusterService;
import dev.skiff.store.grpc.ForwardService;
import dev.skiff.store.grpc.KvService;
import dev.skiff.store.grpc.LeaseService;
import dev.skiff.store.grpc.MaintenanceService;
import dev.skiff.store.grpc.TransportThreadCalls;
import dev.skiff.store.grpc.WatchService;
import dev.skiff.store.lease.LeaseExpiryChecker;
import dev.skiff.store.lease.Lessor;
import dev.skiff.store.mvcc.MvccStore;
import dev.skiff.store.raft.CommitPush;
import dev.skiff.store.raft.MemberIds;
import dev.skiff.store.raft.MemberRegistry;
import dev.skiff.store.raft.PushingRpcType;
import dev.skiff.store.raft.RaftGateway;
import dev.skiff.store.raft.StoreState;
import dev.skiff.store.raft.StoreStateMachine;
import dev.skiff.store.watch.WatchHub;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.ExitUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the replicated, etcd-compatible store: the public entry point for other
 * modules.
 *
 * <pre>{@code
 * // a 1-member store for tests or the all-in-one server (free ports, ~1 s to start)
 * try (StoreNode store = StoreNode.start(StoreConfig.singleNode(tempDir))) {
 *     String target = store.clientEndpoint();          // "127.0.0.1:port" for a ManagedChannel
 *     List<BindableService> etcd = store.clientServices(); // or serve them in-process
 * }
 * // a member of a 3-member group
 * StoreConfig cfg = StoreConfig.of("s1", dir, List.of("127.0.0.1:2379"),
 *         Map.of("s1", "127.0.0.1:2380", "s2", "127.0.0.1:2381", "s3", "127.0.0.1:2382"));
 * }</pre>
 *
 * <p>Lifecycle: the constructor only builds; {@link #start()} starts Raft, the gRPC
 * listener (if {@code clientAddresses} is not empty) and one background thread (watch
 * catch-up, progress notifications, the leader's lease checker, publishing this member's
 * name); {@link #close()} stops them all. Not restartable: build a new node on the same
 * data dir to restart.
 */
public final class StoreNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StoreNode.class);

    private final StoreConfig config;
    private final StoreState state;
    private final WatchHub hub;
    private final StoreStateMachine stateMachine;
    private final CommitPush commitPush = new CommitPush();
    private final long memberId;
    private RaftServer raftServer;
    private RaftClient raftClient;
    private RaftGateway gateway;
    private List<BindableService> services;
    private Server grpcServer;
    private ExecutorService callExecutor;
    private ScheduledExecutorService background;

    /** A node on the system clock; builds only, {@link #start()} starts it. */
    public StoreNode(StoreConfig config) {
        this(config, Clock.systemUTC());
    }

    /** A node whose lease expiry follows {@code clock}. */
    public StoreNode(StoreConfig config, Clock clock) {
        this.config = config;
        this.state = new StoreState(new MvccStore(), new Lessor(clock, config.minLeaseTtlSeconds()), new MemberRegistry());
        this.memberId = MemberIds.memberId(config.peerAddress());
        ResponseHeader identity = ResponseHeader.newBuilder()
                .setClusterId(MemberIds.clusterId(config.clusterToken())).setMemberId(memberId).build();
        StoreStateMachine[] sm = new StoreStateMachine[1];
        this.hub = new WatchHub(state.mvcc(), () -> sm[0].header(0));
        this.stateMachine = new StoreStateMachine(state, hub, identity, commitPush);
        sm[0] = stateMachine;
    }

    /** Builds and starts a node on the system clock. */
    public static StoreNode start(StoreConfig config) throws IOException {
        StoreNode node = new StoreNode(config, Clock.systemUTC());
        node.start();
        return node;
    }

    public synchronized void start() throws IOException {
        RaftPeerSet peers = RaftPeerSet.of(config);
        RaftStorage.StartupOption startup = RaftSettings.startupOption(config);
        raftServer = RaftServer.newBuilder()
                .setServerId(peers.self().getId())
                .setStateMachine(stateMachine)
                .setProperties(RaftSettings.server(config))
                .setParameters(PushingRpcType.parameters(commitPush))
                .setGroup(peers.group())
                .setOption(startup)
                .build();
        // Ratis calls System.exit(1) when its peer port is taken; from here, inside this
        // synchronized start, that waited forever for the shutdown hook's close(). Fail instead.
        ExitUtils.disableSystemExit();
        try {
            raftServer.start();
        } catch (ExitUtils.ExitException e) {
            closeQuietly(raftServer); // its division may already be running, alone
            raftServer = null;
            throw new IOException("cannot listen for peers on " + config.peerAddress() + ": " + Throwables.getRootCause(e).getMessage(), e);
        }
        if (startup == RaftStorage.StartupOption.RECOVER) {
            requireMembership(raftServer.getDivision(peers.group().getGroupId()).getRaftConf(), peers.self());
        }
        InetSocketAddress bound = raftServer.getServerRpc().getInetSocketAddress();
        RaftGroup clientGroup = peers.self().getAddress().endsWith(":0")
                ? peers.groupWithSelfAt("127.0.0.1:" + bound.getPort())
                : peers.group();
        raftClient = RaftClient.newBuilder()
                .setProperties(RaftSettings.client(config))
                .setRaftGroup(clientGroup)
                .setRetryPolicy(RaftSettings.clientRetry())
                .build();
        gateway = new RaftGateway(raftServer, raftServer.getDivision(peers.group().getGroupId()), stateMachine,
                raftClient, state.members(), config.requestTimeout());
        commitPush.skipWhile(gateway::writesQueued);
        services = List.of(
                new KvService(gateway, new RequestChecks(config.maxTxnOps()), config.maxRequestBytes()),
                new WatchService(hub, gateway::catchUp),
                new LeaseService(gateway),
                new ClusterService(gateway, state.members()),
                new MaintenanceService(gateway, state, config.dataDir()));
        if (!config.clientAddresses().isEmpty()) {
            grpcServer = buildServer().start();
        }
        startBackground();
        // Ratis reports its bound address as the wildcard; it listens on the configured host
        LOG.info("store member {} ({}) started: peer {}:{}, clients {}", config.name(), Long.toHexString(memberId),
                socket(config.peerAddress()).getHostString(), bound.getPort(), clientUrls());
    }

    /**
     * A member is known by the peer address it was created with (its id derives from it), and a
     * data dir holds the group's membership. Restarted with another --listen-peer-urls, or after
     * it was removed, the member is not in it: Ratis would run it as a stranger that never votes
     * nor is elected, and the member "started" only to time out every request.
     */
    private void requireMembership(RaftConfiguration conf, RaftPeer self) throws IOException {
        if (conf.getPeer(self.getId(), RaftPeerRole.FOLLOWER, RaftPeerRole.LISTENER) != null) {
            return;
        }
        closeQuietly(raftServer);
        raftServer = null;
        List<String> members = conf.getCurrentPeers().stream().map(RaftPeer::getAddress).sorted().toList();
        throw new IOException("the group in " + config.dataDir() + " has no member at peer address "
                + config.peerAddress() + " (its members are at " + String.join(", ", members) + "): a member keeps"
                + " the peer address it was created with, so start it with that --listen-peer-urls; if it was"
                + " removed, add it back (member add) and start it with an empty data dir");
    }

    private Server buildServer() {
        List<InetSocketAddress> addresses = config.clientAddresses().stream().map(StoreNode::socket).toList();
        NettyServerBuilder b = NettyServerBuilder.forAddress(addresses.get(0));
        addresses.stream().skip(1).forEach(b::addListenAddress);
        // etcd accepts requests up to --max-request-bytes plus gRPC framing overhead
        b.maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, config.maxRequestBytes() + 512 * 1024));
        services.forEach(b::addService);
        // handlers run where requests arrive unless they may wait (TransportThreadCalls)
        callExecutor = Executors.newCachedThreadPool(Thread.ofPlatform().name("store-" + config.name() + "-call-", 0)
                .daemon().factory());
        b.directExecutor().callExecutor(new TransportThreadCalls(callExecutor));
        // followers send their writes to the leader's client endpoint (members only reach
        // each other's client URLs; the auth layer of a later issue must keep it so)
        b.addService(new ForwardService(gateway, new RequestChecks(config.maxTxnOps()), config.maxRequestBytes()));
        HealthStatusManager health = new HealthStatusManager();
        b.addService(health.getHealthService());
        b.addService(ProtoReflectionServiceV1.newInstance());
        b.addService(legacyReflection());
        health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
        return b.build();
    }

    @SuppressWarnings("deprecation")
    private static BindableService legacyReflection() {
        return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
    }

    private void startBackground() {
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "store-" + config.name() + "-background");
            t.setDaemon(true);
            return t;
        });
        LeaseExpiryChecker checker = new LeaseExpiryChecker(state.lessor(), id -> gateway
                .propose(InternalRaftRequest.newBuilder().setLeaseRevoke(LeaseRevokeRequest.newBuilder().setID(id)).build())
                .whenComplete((r, e) -> {
                    if (e != null) {
                        LOG.debug("revoke of expired lease {} failed: {}", Long.toHexString(id), e.toString());
                    }
                }));
        background.scheduleWithFixedDelay(guard(hub::syncUnsynced), 20, 20, TimeUnit.MILLISECONDS);
        background.scheduleWithFixedDelay(guard(checker::step), 250, 250, TimeUnit.MILLISECONDS);
        long progressMs = config.progressNotifyInterval().toMillis();
        background.scheduleWithFixedDelay(guard(hub::progressNotify), progressMs, progressMs, TimeUnit.MILLISECONDS);
        AtomicBoolean published = new AtomicBoolean();
        MemberAttributes me = MemberAttributes.newBuilder().setMemberId(memberId).setName(config.name())
                .addAllClientUrls(clientUrls()).setPeerAddress(config.peerAddress()).build();
        background.scheduleWithFixedDelay(() -> {
            if (published.get() || me.equals(state.members().get(memberId))) {
                return;
            }
            gateway.proposeMemberAttributes(InternalRaftRequest.newBuilder().setMemberAttributes(me).build())
                    .whenComplete((r, e) -> published.set(e == null));
        }, 100, 1000, TimeUnit.MILLISECONDS);
    }

    private static Runnable guard(Runnable r) {
        return () -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("background step failed: {}", e.toString());
            }
        };
    }

    /** The etcd services of this member, to serve on any gRPC server (also in-process). */
    public List<BindableService> clientServices() {
        return services;
    }

    /** {@code host:port} of the first client listener (its real port when 0 was asked). */
    public String clientEndpoint() {
        InetSocketAddress a = (InetSocketAddress) grpcServer.getListenSockets().get(0);
        return a.getHostString() + ":" + a.getPort();
    }

    public List<String> clientUrls() {
        List<String> urls = new ArrayList<>();
        if (grpcServer != null) {
            grpcServer.getListenSockets().forEach(s -> {
                InetSocketAddress a = (InetSocketAddress) s;
                urls.add("http://" + a.getHostString() + ":" + a.getPort());
            });
        }
        return urls;
    }

    public long memberId() {
        return memberId;
    }

    public String name() {
        return config.name();
    }

    /** Whether this member leads and has applied its term's first entry (ready to serve writes). */
    public boolean isLeader() {
        return gateway != null && gateway.division().getInfo().isLeader() && gateway.division().getInfo().isLeaderReady();
    }

    /** The store's current revision at this member. */
    public long revision() {
        return state.mvcc().currentRevision();
    }

    /** The Raft index this member has applied. */
    public long appliedIndex() {
        return gateway.division().getInfo().getLastAppliedIndex();
    }

    /** The watch hub's watcher count (for tests and metrics). */
    public int watcherCount() {
        return hub.watcherCount();
    }

    @Override
    public synchronized void close() {
        if (background != null) {
            background.shutdownNow();
        }
        if (grpcServer != null) {
            grpcServer.shutdownNow();
        }
        closeQuietly(gateway);
        closeQuietly(raftServer);
        closeQuietly(raftClient);
        if (grpcServer != null) {
            try {
                grpcServer.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (callExecutor != null) {
            callExecutor.shutdownNow();
        }
        LOG.info("store member {} stopped", config.name());
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("close failed: {}", e.toString());
        }
    }

    static InetSocketAddress socket(String hostPort) {
        int i = hostPort.lastIndexOf(':');
        if (i < 0) {
            throw new IllegalArgumentException("expected host:port, got '" + hostPort + "'");
        }
        return new InetSocketAddress(hostPort.substring(0, i), Integer.parseInt(hostPort.substring(i + 1)));
    }

    /** The Raft group of the configured members, with this member's peer picked out. */
    private record RaftPeerSet(RaftGroup group, RaftPeer self) {
        static RaftPeerSet of(StoreConfig c) {
            List<RaftPeer> peers = c.initialCluster().values().stream()
                    .map(a -> RaftPeer.newBuilder().setId(MemberIds.peerId(a)).setAddress(a).build()).toList();
            RaftPeer self = peers.stream().filter(p -> p.getAddress().equals(c.peerAddress())).findFirst().orElseThrow();
            return new RaftPeerSet(RaftGroup.valueOf(MemberIds.groupId(c.clusterToken()), peers), self);
        }

        RaftGroup groupWithSelfAt(String address) {
            List<RaftPeer> peers = group.getPeers().stream()
                    .map(p -> p.getId().equals(self.getId()) ? RaftPeer.newBuilder().setId(p.getId()).setAddress(address).build() : p)
                    .toList();
            return RaftGroup.valueOf(group.getGroupId(), peers);
        }
    }
}
