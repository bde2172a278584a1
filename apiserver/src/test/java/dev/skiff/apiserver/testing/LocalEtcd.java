package dev.skiff.apiserver.testing;

import dev.skiff.client.etcd.EtcdClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** Debian's etcd-server (/usr/bin/etcd) on free loopback ports in a temp dir, for tests that run against a real etcd. */
public final class LocalEtcd implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/etcd");

  private final Path dataDir;
  private final int clientPort;
  private final int peerPort;
  private Process process;

  public LocalEtcd() throws IOException {
    this.dataDir = Files.createTempDirectory("skiff-etcd-");
    this.clientPort = freePort();
    this.peerPort = freePort();
  }

  public static boolean available() {
    return Files.isExecutable(BINARY);
  }

  public String endpoint() {
    return "127.0.0.1:" + clientPort;
  }

  public LocalEtcd start() throws IOException {
    String peer = "http://127.0.0.1:" + peerPort;
    String client = "http://127.0.0.1:" + clientPort;
    process = new ProcessBuilder(BINARY.toString(), "--name", "t", "--data-dir", dataDir.resolve("data").toString(),
        "--listen-client-urls", client, "--advertise-client-urls", client,
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
        "--initial-cluster", "t=" + peer, "--log-level", "error")
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("etcd.log").toFile())
        .start();
    try (EtcdClient probe = EtcdClient.connect(List.of(endpoint()))) {
      Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
          .ignoreExceptions().until(() -> probe.currentRevision() > 0);
    }
    return this;
  }

  public void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
      process = null;
    }
  }

  @Override
  public void close() throws Exception {
    stop();
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
