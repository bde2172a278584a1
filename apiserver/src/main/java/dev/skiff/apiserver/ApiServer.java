package dev.skiff.apiserver;

import com.google.protobuf.Message;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.Node;
import dev.skiff.apiserver.bootstrap.SystemNamespaces;
import dev.skiff.apiserver.chain.InFlightLimit;
import dev.skiff.apiserver.chain.RequestChain;
import dev.skiff.apiserver.grpc.KindService;
import dev.skiff.apiserver.node.NodeRouter;
import dev.skiff.apiserver.registry.NamespaceGuard;
import dev.skiff.apiserver.registry.Registry;
import dev.skiff.apiserver.registry.WrittenRevision;
import dev.skiff.apiserver.strategy.Strategies;
import dev.skiff.apiserver.watchcache.WatchCache;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.client.etcd.EtcdClient;
import io.grpc.BindableService;
import io.grpc.Channel;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel: one generic registry and one watch cache per kind over the store's etcd API, served
 * as one gRPC service per kind behind the request chain. Stateless apart from its caches, so
 * several apiservers on one store serve the same data and watches.
 *
 * <p>The constructor starts nothing; {@link #start()} fills the watch caches (one store watch
 * per kind) and starts the bookmark timer; {@link #close()} stops them. {@link #services()} is
 * what a gRPC server hosts: every kind's service (with the request chain), the health service and
 * server reflection (v1 and v1alpha), so do not add those again to the same server.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  public static final String HEALTH_SERVICE = "skiff.api.v1.ApiServer";
  public static final java.time.Duration SYSTEM_NAMESPACES_PERIOD = java.time.Duration.ofMinutes(1);

  private final ApiServerConfig config;
  private final EtcdClient store;
  private final Map<ResourceKind<?, ?>, Registry<?, ?>> registries = new LinkedHashMap<>();
  private final Map<ResourceKind<?, ?>, WatchCache<?>> caches = new LinkedHashMap<>();
  private final HealthStatusManager health = new HealthStatusManager();
  private final ScheduledExecutorService timers;
  private final List<ServerServiceDefinition> services = new ArrayList<>();
  private final SystemNamespaces systemNamespaces;

  public ApiServer(ApiServerConfig config, Channel storeChannel) {
    this.config = config;
    this.store = EtcdClient.forChannel(storeChannel).withTimeout(config.storeTimeout());
    this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("apiserver-timer").factory());
    health.setStatus("", ServingStatus.NOT_SERVING);
    health.setStatus(HEALTH_SERVICE, ServingStatus.NOT_SERVING);
    for (ResourceKind<?, ?> kind : Kinds.all()) {
      caches.put(kind, newCache(kind));
    }
    @SuppressWarnings("unchecked")
    WatchCache<Namespace> nsCache = (WatchCache<Namespace>) caches.get(Kinds.NAMESPACE);
    WrittenRevision namespaceWrites = new WrittenRevision();
    Registry<Namespace, ?> nsRegistry = new Registry<>(Kinds.NAMESPACE, Strategies.forKind(Kinds.NAMESPACE), store,
        config.clock(), null, nsCache, namespaceWrites);
    NamespaceGuard guard = new NamespaceGuard(nsCache, namespaceWrites, name -> nsRegistry.find("", name));
    systemNamespaces = new SystemNamespaces(nsRegistry, nsCache);
    for (ResourceKind<?, ?> kind : Kinds.all()) {
      registries.put(kind, kind == Kinds.NAMESPACE ? nsRegistry : newRegistry(kind, guard));
    }
    @SuppressWarnings("unchecked")
    Registry<Node, ?> nodes = (Registry<Node, ?>) registries.get(Kinds.NODE);
    NodeRouter router = new NodeRouter(nodes, config.nodeDialer());
    InFlightLimit inFlight = new InFlightLimit(config.maxRequestsInFlight(), config.maxMutatingRequestsInFlight());
    for (ResourceKind<?, ?> kind : Kinds.all()) {
      List<ServerInterceptor> chain = new ArrayList<>(
          RequestChain.interceptors(kind, config.authenticator(), config.authorizer(), config.admission()));
      chain.add(inFlight); // added last, runs first: a refused request costs nothing else
      services.add(ServerInterceptors.intercept(kindService(kind, router), chain));
    }
    services.add(health.getHealthService().bindService());
    services.add(ProtoReflectionServiceV1.newInstance().bindService());
    services.add(legacyReflection().bindService());
  }

  @SuppressWarnings("deprecation") // v1alpha reflection: many grpcurl builds in the wild only speak it
  private static BindableService legacyReflection() {
    return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
  }

  private <T extends Message> WatchCache<T> newCache(ResourceKind<T, ?> kind) {
    return new WatchCache<>(new dev.skiff.apiserver.registry.ObjectCodec<>(kind), store,
        config.watchCacheCapacity(), config.watcherQueueSize());
  }

  @SuppressWarnings("unchecked")
  private <T extends Message, L extends Message> Registry<T, L> newRegistry(ResourceKind<T, L> kind, NamespaceGuard guard) {
    return new Registry<>(kind, Strategies.forKind(kind), store, config.clock(), guard, (WatchCache<T>) caches.get(kind));
  }

  @SuppressWarnings("unchecked")
  private <T extends Message, L extends Message> ServerServiceDefinition kindService(ResourceKind<T, L> kind, NodeRouter router) {
    return new KindService<>((Registry<T, L>) registries.get(kind), (WatchCache<T>) caches.get(kind), timers,
        router, config.clock()).definition();
  }

  /** Every kind's service with the request chain, plus health and reflection. */
  public List<ServerServiceDefinition> services() {
    return List.copyOf(services);
  }

  /** The registry of a kind (for in-process components and tests). */
  @SuppressWarnings("unchecked")
  public <T extends Message, L extends Message> Registry<T, L> registry(ResourceKind<T, L> kind) {
    return (Registry<T, L>) registries.get(kind);
  }

  @SuppressWarnings("unchecked")
  public <T extends Message> WatchCache<T> watchCache(ResourceKind<T, ?> kind) {
    return (WatchCache<T>) caches.get(kind);
  }

  /**
   * Fills every watch cache from the store (in parallel; waiting, with retries, while the store
   * cannot be listed yet), creates the system namespaces that are missing (again every
   * {@link #SYSTEM_NAMESPACES_PERIOD}) and starts serving.
   */
  public void start() {
    List<Thread> loaders = new ArrayList<>();
    for (WatchCache<?> cache : caches.values()) {
      loaders.add(Thread.ofVirtual().start(() -> {
        try {
          cache.startRetrying();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    for (Thread t : loaders) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    systemNamespaces.ensure();
    long period = Math.max(1, config.bookmarkInterval().toMillis());
    timers.scheduleAtFixedRate(this::sendBookmarks, period, period, TimeUnit.MILLISECONDS);
    long nsPeriod = SYSTEM_NAMESPACES_PERIOD.toMillis();
    timers.scheduleWithFixedDelay(systemNamespaces::ensure, nsPeriod, nsPeriod, TimeUnit.MILLISECONDS);
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(HEALTH_SERVICE, ServingStatus.SERVING);
    log.info("apiserver serving {} kinds", caches.size());
  }

  /** Sends BOOKMARK events to every watcher that allows them (the timer calls it). */
  public void sendBookmarks() {
    for (WatchCache<?> cache : caches.values()) {
      try {
        cache.sendBookmarks();
      } catch (RuntimeException e) {
        log.warn("bookmarks failed: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    health.enterTerminalState();
    timers.shutdownNow();
    caches.values().forEach(WatchCache::close);
    config.nodeDialer().close();
  }
}
