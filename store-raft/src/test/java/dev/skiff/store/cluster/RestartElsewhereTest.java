package dev.skiff.store.cluster;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member restarted on its data dir with another peer address is not the member the dir's group
 * knows (ids derive from the address). It used to start as a stranger that was never elected, and
 * every request timed out; the start now fails and says which address the group knows.
 */
class RestartElsewhereTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aRestartWithAnotherPeerAddressFailsAndNamesTheAddressTheGroupKnows() throws Exception {
        String first = "127.0.0.1:" + freePort();
        String second = "127.0.0.1:" + freePort();
        try (StoreNode node = new StoreNode(config(first))) {
            node.start();
            ManagedChannel ch = NettyChannelBuilder.forTarget(node.clientEndpoint()).usePlaintext().build();
            try { // a write: the log now holds the group's membership as well
                KVGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS).withWaitForReady()
                        .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build());
            } finally {
                ch.shutdownNow();
            }
        }
        StoreNode moved = new StoreNode(config(second));
        try {
            assertThatThrownBy(moved::start).isInstanceOf(IOException.class)
                    .hasMessageContaining("has no member at peer address " + second)
                    .hasMessageContaining("its members are at " + first);
        } finally {
            moved.close();
        }
        try (StoreNode back = new StoreNode(config(first))) {
            back.start(); // the dir is untouched: at its own address the member starts as before
        }
    }

    private StoreConfig config(String peer) {
        return StoreConfig.of("m1", dir.resolve("m1"), List.of("127.0.0.1:0"), Map.of("m1", peer));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
