package dev.skiff.store.cluster;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member whose peer port is taken fails to start with an error that names it. Ratis' own
 * reaction is System.exit(1), which in `skiff store` deadlocked with the shutdown hook (the
 * process hung, half started, for good) and would end any process that embeds a store.
 */
class PortInUseTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aTakenPeerPortFailsTheStartWithAClearErrorAndLeavesTheProcessRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String peer = "127.0.0.1:" + taken.getLocalPort();
            StoreNode node = new StoreNode(StoreConfig.of("m1", dir.resolve("m1"), List.of("127.0.0.1:0"), Map.of("m1", peer)));
            try {
                assertThatThrownBy(node::start).isInstanceOf(IOException.class)
                        .hasMessageContaining("cannot listen for peers on " + peer)
                        .hasMessageContaining("Address already in use");
            } finally {
                node.close();
            }
        }
    }
}
