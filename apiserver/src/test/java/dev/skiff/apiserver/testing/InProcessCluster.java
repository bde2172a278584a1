package dev.skiff.apiserver.testing;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.etcd.EtcdEndpoints;
import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A whole control-plane kernel in one JVM for tests: a 1-member store (Raft, in a temp dir) and
 * an apiserver, each behind a uniquely named in-process gRPC server. Components under test talk
 * to {@link #client()} exactly as they would to a remote cluster.
 *
 * <pre>{@code
 * try (InProcessCluster cluster = InProcessCluster.start()) {
 *   SkiffClient client = cluster.client();
 *   client.resource(Kinds.NAMESPACE).create(...);
 * }
 * }</pre>
 */
public final class InProcessCluster implements AutoCloseable {
  private final ApiServerConfig config;
  private final List<String> externalStore;
  private Path dataDir;
  private StoreNode store;
  private Server storeServer;
  private ManagedChannel storeChannel;
  private ApiServer apiServer;
  private Server apiServerServer;
  private ManagedChannel apiChannel;
  private SkiffClient client;
  private String name;

  /** A cluster with its own store; nothing starts before {@link #startCluster()}. */
  public InProcessCluster() {
    this(ApiServerConfig.defaults(), List.of());
  }

  /**
   * A cluster with the given apiserver config; with {@code storeEndpoints} non-empty the
   * apiserver uses that store (e.g. a real etcd) instead of starting one.
   */
  public InProcessCluster(ApiServerConfig config, List<String> storeEndpoints) {
    this.config = config;
    this.externalStore = List.copyOf(storeEndpoints);
  }

  /** Builds and starts a cluster with defaults. */
  public static InProcessCluster start() {
    InProcessCluster c = new InProcessCluster();
    c.startCluster();
    return c;
  }

  /** Starts the store (unless external), then the apiserver, and waits until both serve. */
  public InProcessCluster startCluster() {
    name = "skiff-" + java.util.UUID.randomUUID();
    try {
      if (externalStore.isEmpty()) {
        dataDir = Files.createTempDirectory("skiff-store-");
        StoreConfig sc = StoreConfig.of("default", dataDir, List.of(),
                Map.of("default", "127.0.0.1:" + LocalEtcd.freePort()))
            .withElectionTimeouts(Duration.ofMillis(150), Duration.ofMillis(300));
        store = new StoreNode(sc, java.time.Clock.systemUTC());
        store.start();
        InProcessServerBuilder sb = InProcessServerBuilder.forName(name + "-store").directExecutor();
        store.clientServices().forEach(sb::addService);
        storeServer = sb.build().start();
        storeChannel = InProcessChannelBuilder.forName(name + "-store").directExecutor().build();
      } else {
        storeChannel = EtcdEndpoints.channel(externalStore);
      }
      apiServer = new ApiServer(config, storeChannel);
      apiServer.start();
      InProcessServerBuilder ab = InProcessServerBuilder.forName(name)
          .executor(Executors.newVirtualThreadPerTaskExecutor());
      apiServer.services().forEach(ab::addService);
      apiServerServer = ab.build().start();
      apiChannel = InProcessChannelBuilder.forName(name).build();
      client = SkiffClient.forChannel(apiChannel);
      return this;
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    }
  }

  /** A client of the apiserver (in-process channel). */
  public SkiffClient client() {
    return client;
  }

  /** The in-process channel to the apiserver (for raw stubs). */
  public ManagedChannel channel() {
    return apiChannel;
  }

  /** The channel to the store's etcd API. */
  public ManagedChannel storeChannel() {
    return storeChannel;
  }

  /** The in-process server name of the apiserver (to open more channels). */
  public String serverName() {
    return name;
  }

  public ApiServer apiServer() {
    return apiServer;
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    shutdown(apiChannel);
    if (apiServerServer != null) {
      apiServerServer.shutdownNow();
    }
    if (apiServer != null) {
      apiServer.close();
    }
    shutdown(storeChannel);
    if (storeServer != null) {
      storeServer.shutdownNow();
    }
    if (store != null) {
      store.close();
    }
    if (dataDir != null) {
      try (var files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // best effort: a temp dir
      }
    }
  }

  private static void shutdown(ManagedChannel ch) {
    if (ch != null) {
      ch.shutdownNow();
      try {
        ch.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
