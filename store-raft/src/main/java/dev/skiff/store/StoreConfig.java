package dev.skiff.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one store member runs; the names follow etcd's flags.
 *
 * @param name             this member's name (a key of {@code initialCluster})
 * @param dataDir          where the Raft log, snapshots and metadata live
 * @param clientAddresses  {@code host:port} addresses the etcd gRPC API listens on (port 0:
 *                         any free port; empty: no network listener, in-process use only)
 * @param initialCluster   every member's name and peer {@code host:port}, in order; this
 *                         member's entry is its peer listen address (port 0 only for a
 *                         single-member group)
 * @param clusterToken     identifies the group (etcd's --initial-cluster-token)
 * @param maxRequestBytes  largest request accepted (etcd's --max-request-bytes)
 * @param maxTxnOps        most operations in one txn branch (etcd's --max-txn-ops)
 * @param snapshotThreshold log entries between automatic snapshots (etcd's --snapshot-count)
 * @param electionTimeoutMin lower bound of the randomized election timeout
 * @param electionTimeoutMax upper bound of the randomized election timeout
 * @param progressNotifyInterval period of watch progress notifications
 * @param minLeaseTtlSeconds shortest lease TTL granted (shorter requests are raised)
 * @param requestTimeout   how long a client request may wait for Raft
 */
public record StoreConfig(
        String name,
        Path dataDir,
        List<String> clientAddresses,
        Map<String, String> initialCluster,
        String clusterToken,
        long maxRequestBytes,
        int maxTxnOps,
        long snapshotThreshold,
        Duration electionTimeoutMin,
        Duration electionTimeoutMax,
        Duration progressNotifyInterval,
        long minLeaseTtlSeconds,
        Duration requestTimeout) {

    public static final long DEFAULT_MAX_REQUEST_BYTES = 1536 * 1024;
    public static final int DEFAULT_MAX_TXN_OPS = 128;
    /** etcd's --snapshot-count default since 3.2: snapshots cost O(history), so not too often. */
    public static final long DEFAULT_SNAPSHOT_COUNT = 100_000;

    public StoreConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dataDir, "dataDir");
        clientAddresses = List.copyOf(clientAddresses);
        initialCluster = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(initialCluster));
        if (!initialCluster.containsKey(name)) {
            throw new IllegalArgumentException("--initial-cluster has no member named '" + name + "'");
        }
        if (initialCluster.size() > 1 && initialCluster.values().stream().anyMatch(a -> a.endsWith(":0"))) {
            throw new IllegalArgumentException("peer port 0 is only allowed for a single-member cluster");
        }
    }

    /** A member with etcd's defaults for everything but identity and addresses. */
    public static StoreConfig of(String name, Path dataDir, List<String> clientAddresses, Map<String, String> initialCluster) {
        return new StoreConfig(name, dataDir, clientAddresses, initialCluster, "skiff-store",
                DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_TXN_OPS, DEFAULT_SNAPSHOT_COUNT,
                Duration.ofMillis(1000), Duration.ofMillis(2000), Duration.ofMinutes(10), 2, Duration.ofSeconds(10));
    }

    /**
     * A one-member store on loopback with free ports, quick to elect itself: the
     * fixture for tests and the all-in-one server.
     */
    public static StoreConfig singleNode(Path dataDir) {
        return of("default", dataDir, List.of("127.0.0.1:0"), Map.of("default", "127.0.0.1:0"))
                .withElectionTimeouts(Duration.ofMillis(150), Duration.ofMillis(300));
    }

    /** This member's peer address. */
    public String peerAddress() {
        return initialCluster.get(name);
    }

    public StoreConfig withElectionTimeouts(Duration min, Duration max) {
        return new StoreConfig(name, dataDir, clientAddresses, initialCluster, clusterToken, maxRequestBytes, maxTxnOps,
                snapshotThreshold, min, max, progressNotifyInterval, minLeaseTtlSeconds, requestTimeout);
    }

    public StoreConfig withLimits(long maxRequestBytes, int maxTxnOps) {
        return new StoreConfig(name, dataDir, clientAddresses, initialCluster, clusterToken, maxRequestBytes, maxTxnOps,
                snapshotThreshold, electionTimeoutMin, electionTimeoutMax, progressNotifyInterval, minLeaseTtlSeconds,
                requestTimeout);
    }

    public StoreConfig withSnapshotThreshold(long entries) {
        return new StoreConfig(name, dataDir, clientAddresses, initialCluster, clusterToken, maxRequestBytes, maxTxnOps,
                entries, electionTimeoutMin, electionTimeoutMax, progressNotifyInterval, minLeaseTtlSeconds,
                requestTimeout);
    }

    public StoreConfig withProgressNotifyInterval(Duration interval) {
        return new StoreConfig(name, dataDir, clientAddresses, initialCluster, clusterToken, maxRequestBytes, maxTxnOps,
                snapshotThreshold, electionTimeoutMin, electionTimeoutMax, interval, minLeaseTtlSeconds,
                requestTimeout);
    }

    public StoreConfig withMinLeaseTtlSeconds(long seconds) {
        return new StoreConfig(name, dataDir, clientAddresses, initialCluster, clusterToken, maxRequestBytes, maxTxnOps,
                snapshotThreshold, electionTimeoutMin, electionTimeoutMax, progressNotifyInterval, seconds,
                requestTimeout);
    }
}
