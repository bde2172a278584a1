package dev.skiff.client;

import com.google.protobuf.Message;
import dev.skiff.client.api.ResourceKind;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The entry point of the client library: a channel to the API servers and a typed
 * {@link ResourceClient} per kind.
 *
 * <p>Failover: {@link #connect} builds one gRPC channel over every server given, resolved by a
 * private name resolver ({@link AddressListResolverProvider}) into one address group per server, with the {@code round_robin} load-balancing policy: calls are spread over
 * servers whose connection is READY, a server that goes away is skipped while gRPC reconnects to it
 * in the background with its own exponential backoff. A call that was on the failing server fails
 * with UNAVAILABLE; idempotent calls (Get, List) are then retried with exponential backoff per
 * {@link RetryPolicy} and land on another server. Create, Update, Patch and Delete are not retried.
 * Watches are restarted by their owner (informers relist with backoff).
 *
 * <p>Every unary call has a deadline ({@link ClientOptions#callTimeout()}, 10 s by default).
 * Thread-safe; share one instance per process.
 */
public final class SkiffClient implements AutoCloseable {
  private final Channel channel;
  private final ManagedChannel owned;
  private final ClientOptions options;
  private final Map<ResourceKind<?, ?>, ResourceClient<?, ?>> resources = new ConcurrentHashMap<>();

  private SkiffClient(Channel channel, ManagedChannel owned, ClientOptions options) {
    this.channel = channel;
    this.owned = owned;
    this.options = options;
  }

  /** A client of the API servers at {@code servers} ("host:port"), with failover between them. */
  public static SkiffClient connect(List<String> servers) {
    return connect(servers, ClientOptions.defaults());
  }

  public static SkiffClient connect(List<String> servers, ClientOptions options) {
    List<InetSocketAddress> parsed = ServerAddresses.parse(servers).stream()
        .map(hp -> InetSocketAddress.createUnresolved(hp.host(), hp.port())).toList();
    ManagedChannel channel =
        AddressListResolverProvider.channelBuilder("skiff-servers", "API servers", parsed)
            .defaultLoadBalancingPolicy("round_robin")
            .userAgent("skiff-client")
            .build();
    return new SkiffClient(channel, channel, options);
  }

  /** A client over an existing channel (in-process, tests); the caller owns and closes the channel. */
  public static SkiffClient forChannel(Channel channel) {
    return forChannel(channel, ClientOptions.defaults());
  }

  public static SkiffClient forChannel(Channel channel, ClientOptions options) {
    return new SkiffClient(channel, null, options);
  }

  /** The typed client of {@code kind}; one shared instance per kind. */
  @SuppressWarnings("unchecked")
  public <T extends Message, L extends Message> ResourceClient<T, L> resource(ResourceKind<T, L> kind) {
    return (ResourceClient<T, L>) resources.computeIfAbsent(kind, k -> new ResourceClient<>(channel, kind, options));
  }

  public Channel channel() {
    return channel;
  }

  public ClientOptions options() {
    return options;
  }

  /** Closes the channel if {@link #connect} made it; a channel given to {@link #forChannel} is left open. */
  @Override
  public void close() {
    if (owned == null) {
      return;
    }
    owned.shutdown();
    try {
      if (!owned.awaitTermination(5, TimeUnit.SECONDS)) {
        owned.shutdownNow();
      }
    } catch (InterruptedException e) {
      owned.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
