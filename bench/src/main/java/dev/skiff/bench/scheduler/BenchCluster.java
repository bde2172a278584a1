package dev.skiff.bench.scheduler;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.client.SkiffClient;
import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * The control-plane kernel the benchmark drives: a 1-member Raft store (fsync on, data in a temp
 * dir) and an apiserver, each behind an in-process gRPC server, wired like the all-in-one server.
 */
final class BenchCluster implements AutoCloseable {
  private final Path dataDir;
  private final StoreNode store;
  private final Server storeServer;
  private final ManagedChannel storeChannel;
  private final ApiServer apiServer;
  private final Server apiServerServer;
  private final ManagedChannel apiChannel;
  private final SkiffClient client;

  BenchCluster() throws IOException {
    String name = "bench-" + UUID.randomUUID();
    // -Dbench.storeDir=/dev/shm puts the Raft log on tmpfs: fsync becomes free, the rest stays.
    dataDir = Files.createTempDirectory(Path.of(System.getProperty("bench.storeDir", "/var/tmp")),
        "skiff-sched-bench-");
    store = new StoreNode(StoreConfig.of("default", dataDir, List.of(),
        Map.of("default", "127.0.0.1:0")));
    store.start();
    InProcessServerBuilder sb = InProcessServerBuilder.forName(name + "-store").directExecutor();
    store.clientServices().forEach(sb::addService);
    storeServer = sb.build().start();
    storeChannel = InProcessChannelBuilder.forName(name + "-store").directExecutor().build();
    apiServer = new ApiServer(ApiServerConfig.defaults(), storeChannel);
    apiServer.start();
    InProcessServerBuilder ab = InProcessServerBuilder.forName(name)
        .executor(Executors.newVirtualThreadPerTaskExecutor());
    apiServer.services().forEach(ab::addService);
    apiServerServer = ab.build().start();
    apiChannel = InProcessChannelBuilder.forName(name).build();
    client = SkiffClient.forChannel(apiChannel);
  }

  SkiffClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    apiChannel.shutdownNow();
    apiServerServer.shutdownNow();
    apiServer.close();
    storeChannel.shutdownNow();
    storeServer.shutdownNow();
    store.close();
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not remove " + dataDir + ": " + e.getMessage());
    }
  }
}
