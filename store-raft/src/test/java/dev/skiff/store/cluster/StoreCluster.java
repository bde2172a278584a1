package dev.skiff.store.cluster;

import static org.awaitility.Awaitility.await;

import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A real N-member store group in this JVM, on loopback ports, for tests. */
final class StoreCluster implements AutoCloseable {
    private final Path dir;
    private final Map<String, String> peers = new LinkedHashMap<>();
    private final Map<String, String> clients = new LinkedHashMap<>();
    private final Map<String, StoreNode> running = new LinkedHashMap<>();
    private final UnaryOperator<StoreConfig> tweak;

    StoreCluster(Path dir, int members, UnaryOperator<StoreConfig> tweak) {
        this.dir = dir;
        this.tweak = tweak;
        for (int i = 1; i <= members; i++) {
            peers.put("m" + i, "127.0.0.1:" + freePort());
            clients.put("m" + i, "127.0.0.1:" + freePort());
        }
    }

    StoreCluster start() {
        List<Thread> starters = new ArrayList<>();
        for (String name : peers.keySet()) {
            starters.add(Thread.ofVirtual().start(() -> start(name)));
        }
        starters.forEach(t -> {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitLeader(Duration.ofSeconds(30));
        return this;
    }

    synchronized StoreNode start(String name) {
        StoreConfig cfg = tweak.apply(StoreConfig.of(name, dir.resolve(name), List.of(clients.get(name)), peers));
        StoreNode node = new StoreNode(cfg);
        try {
            node.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        running.put(name, node);
        return node;
    }

    /** Reserves ports for one more member; {@link #start(String)} then starts it with every member's address. */
    synchronized String newMember(String name) {
        peers.put(name, "127.0.0.1:" + freePort());
        clients.put(name, "127.0.0.1:" + freePort());
        return peers.get(name);
    }

    synchronized void kill(String name) {
        StoreNode n = running.remove(name);
        if (n != null) {
            n.close();
        }
    }

    synchronized StoreNode node(String name) {
        return running.get(name);
    }

    synchronized List<StoreNode> nodes() {
        return List.copyOf(running.values());
    }

    StoreNode awaitLeader(Duration within) {
        StoreNode[] found = new StoreNode[1];
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (StoreNode n : nodes()) {
                if (n.isLeader()) {
                    found[0] = n;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    String endpoints() {
        return String.join(",", clients.values().stream().map(a -> "http://" + a).toList());
    }

    String endpoint(String name) {
        return "http://" + clients.get(name);
    }

    @Override
    public synchronized void close() {
        running.values().forEach(StoreNode::close);
        running.clear();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
