package dev.skiff.cli;

import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skiff store}: runs one member of the etcd-compatible replicated store, with
 * etcd's flag names. Runs until interrupted; Ctrl-C closes the member cleanly.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = "Run a member of the replicated etcd-v3-compatible store (Raft on Apache Ratis).")
public final class StoreCommand implements Callable<Integer> {
    @Option(names = "--name", defaultValue = "default", description = "Member name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--data-dir", description = "Data directory (default: <name>.etcd).")
    Path dataDir;

    @Option(names = "--listen-client-urls", defaultValue = "http://127.0.0.1:2379",
            description = "Comma-separated URLs to serve the etcd API on (default: ${DEFAULT-VALUE}).")
    String listenClientUrls;

    @Option(names = "--listen-peer-urls", defaultValue = "http://127.0.0.1:2380",
            description = "URL for Raft traffic between members (default: ${DEFAULT-VALUE}).")
    String listenPeerUrls;

    @Option(names = "--initial-cluster",
            description = "Every member as name=host:port (or name=http://host:port), comma-separated; 1, 3 or 5 members.")
    String initialCluster;

    @Option(names = "--initial-cluster-state", defaultValue = "new",
            description = "new: bootstrap a group of 1, 3 or 5 members; existing: join a running group that "
                    + "added this member (etcdctl member add), --initial-cluster then listing every member "
                    + "(default: ${DEFAULT-VALUE}).")
    String initialClusterState;

    @Option(names = "--initial-cluster-token", defaultValue = "skiff-store",
            description = "Identifies the cluster (default: ${DEFAULT-VALUE}).")
    String clusterToken;

    @Option(names = "--max-request-bytes", defaultValue = "1572864",
            description = "Largest client request accepted, in bytes (default: ${DEFAULT-VALUE}).")
    long maxRequestBytes;

    @Option(names = "--max-txn-ops", defaultValue = "128",
            description = "Most operations in one transaction branch (default: ${DEFAULT-VALUE}).")
    int maxTxnOps;

    @Option(names = "--snapshot-count", defaultValue = "" + StoreConfig.DEFAULT_SNAPSHOT_COUNT,
            description = "Applied entries between snapshots (default: ${DEFAULT-VALUE}).")
    long snapshotCount;

    @Option(names = "--election-timeout", defaultValue = "1000",
            description = "Minimum election timeout in ms; the maximum is twice it (default: ${DEFAULT-VALUE}).")
    long electionTimeoutMs;

    @Override
    public Integer call() throws Exception {
        String peer = hostPort(listenPeerUrls.split(",")[0]);
        boolean joining = switch (initialClusterState) {
            case "new" -> false;
            case "existing" -> true;
            default -> throw new IllegalArgumentException(
                    "--initial-cluster-state must be new or existing, not '" + initialClusterState + "'");
        };
        Map<String, String> cluster = initialCluster == null ? Map.of(name, peer) : parseCluster(initialCluster, joining);
        if (!cluster.containsKey(name)) {
            System.err.println("skiff store: --initial-cluster has no member named '" + name + "'");
            return 2;
        }
        List<String> clients = Arrays.stream(listenClientUrls.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).map(StoreCommand::hostPort).toList();
        Path dir = dataDir != null ? dataDir : Path.of(name + ".etcd");
        StoreConfig config = new StoreConfig(name, dir, clients, cluster, clusterToken, maxRequestBytes, maxTxnOps,
                snapshotCount, Duration.ofMillis(electionTimeoutMs), Duration.ofMillis(2 * electionTimeoutMs),
                Duration.ofMinutes(10), 2, Duration.ofSeconds(10));
        StoreNode node = new StoreNode(config, java.time.Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "store-shutdown"));
        node.start();
        System.err.println("skiff store: member " + name + " serving " + String.join(",", node.clientUrls()));
        stopped.await();
        return 0;
    }

    /**
     * The members of {@code --initial-cluster}. A new group has 1, 3 or 5; a member joining a
     * running group lists the group as MemberAdd left it, of any size (etcdctl prints that list).
     */
    static Map<String, String> parseCluster(String spec, boolean joining) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--initial-cluster entry '" + p + "' is not name=host:port");
            }
            out.put(p.substring(0, eq), hostPort(p.substring(eq + 1)));
        }
        int n = out.size();
        if (!joining && n != 1 && n != 3 && n != 5) {
            throw new IllegalArgumentException("--initial-cluster must list 1, 3 or 5 members, not " + n
                    + " (a member joining a running group after `member add` takes --initial-cluster-state existing)");
        }
        return out;
    }

    static String hostPort(String url) {
        String s = url.trim().replaceFirst("^[a-z]+://", "");
        int slash = s.indexOf('/');
        s = slash >= 0 ? s.substring(0, slash) : s;
        return s.startsWith("localhost:") ? "127.0.0.1" + s.substring("localhost".length()) : s;
    }
}
