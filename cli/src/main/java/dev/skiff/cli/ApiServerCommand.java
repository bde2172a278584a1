package dev.skiff.cli;

import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.client.etcd.EtcdEndpoints;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code skiff apiserver}: serves the cluster API (one gRPC service per kind, health, reflection)
 * over a store's etcd v3 API — Skiff's store or a real etcd. Stateless: run several on one store.
 * Runs until interrupted; Ctrl-C closes it cleanly.
 */
@Command(name = "apiserver", mixinStandardHelpOptions = true,
    description = "Run an API server on a store (skiff store or etcd).")
public final class ApiServerCommand implements Callable<Integer> {
  @Option(names = "--store-endpoints", defaultValue = "127.0.0.1:2379",
      description = "Store members as host:port, comma-separated; fails over between them (default: ${DEFAULT-VALUE}).")
  String storeEndpoints;

  @Option(names = "--listen", defaultValue = "127.0.0.1:6443",
      description = "host:port to serve the API on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(names = "--watch-cache-size", defaultValue = "10000",
      description = "Events kept per kind for watches resuming from a resourceVersion (default: ${DEFAULT-VALUE}).")
  int watchCacheSize;

  @Option(names = "--max-request-bytes", defaultValue = "3145728",
      description = "Largest request accepted, in bytes (default: ${DEFAULT-VALUE}).")
  int maxRequestBytes;

  @Option(names = "--max-requests-inflight", defaultValue = "400",
      description = "Read-only requests served at once; more are refused with RESOURCE_EXHAUSTED and retry-after (0: no limit; default: ${DEFAULT-VALUE}).")
  int maxRequestsInFlight;

  @Option(names = "--max-mutating-requests-inflight", defaultValue = "200",
      description = "Mutating requests served at once; more are refused the same way (0: no limit; default: ${DEFAULT-VALUE}).")
  int maxMutatingRequestsInFlight;

  @Override
  public Integer call() throws Exception {
    List<String> endpoints;
    InetSocketAddress address;
    try {
      endpoints = EtcdEndpoints.parse(storeEndpoints);
      EtcdEndpoints.channel(endpoints).shutdownNow(); // validates the list early
      address = parseListen(listen);
    } catch (IllegalArgumentException e) {
      System.err.println("skiff apiserver: " + e.getMessage());
      return 2;
    }
    ApiServerConfig defaults = ApiServerConfig.defaults();
    if (maxRequestsInFlight < 0 || maxMutatingRequestsInFlight < 0) {
      System.err.println("skiff apiserver: --max-requests-inflight and --max-mutating-requests-inflight must be 0 or positive");
      return 2;
    }
    ApiServerConfig config = defaults.withWatch(watchCacheSize, defaults.watcherQueueSize(), defaults.bookmarkInterval())
        .withInFlightLimits(maxRequestsInFlight, maxMutatingRequestsInFlight);
    ManagedChannel store = EtcdEndpoints.channel(endpoints);
    ApiServer api = new ApiServer(config, store);
    api.start();
    ServerBuilder<?> builder = NettyServerBuilder.forAddress(address, InsecureServerCredentials.create());
    builder.executor(Executors.newVirtualThreadPerTaskExecutor()).maxInboundMessageSize(maxRequestBytes);
    api.services().forEach(builder::addService);
    Server server;
    try {
      server = builder.build().start();
    } catch (java.io.IOException e) {
      System.err.println("skiff apiserver: cannot listen on " + listen + ": " + e.getMessage());
      api.close();
      store.shutdownNow();
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdown();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server.shutdownNow();
      api.close();
      store.shutdownNow();
      stopped.countDown();
    }, "apiserver-shutdown"));
    System.err.println("skiff apiserver: serving on " + address.getHostString() + ":"
        + ((InetSocketAddress) server.getListenSockets().getFirst()).getPort() + ", store " + String.join(",", endpoints));
    stopped.await();
    return 0;
  }

  static InetSocketAddress parseListen(String hostPort) {
    String s = hostPort.trim();
    int colon = s.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--listen '" + hostPort + "' is not host:port");
    }
    String host = s.substring(0, colon).replace("[", "").replace("]", "");
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--listen '" + hostPort + "' has a bad port");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--listen port must be 0-65535");
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }
}
