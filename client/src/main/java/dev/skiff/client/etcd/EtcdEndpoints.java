package dev.skiff.client.etcd;

import io.grpc.EquivalentAddressGroup;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A channel to a list of store endpoints ("host:port") with failover: gRPC's pick_first
 * policy connects to the first endpoint that answers and moves to the next one when that
 * connection breaks. Calls that never left the client are retried transparently by gRPC;
 * {@link EtcdClient} retries reads itself.
 */
public final class EtcdEndpoints {
  private static final String SCHEME = "skiff-endpoints";

  private EtcdEndpoints() {}

  /** Parses "host:port,host:port" (spaces allowed) into a list. */
  public static List<String> parse(String commaSeparated) {
    List<String> out = new ArrayList<>();
    for (String part : commaSeparated.split(",")) {
      String p = part.trim();
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  /** Opens a plaintext channel to the endpoints; the caller owns (and shuts down) the channel. */
  @SuppressWarnings("deprecation") // nameResolverFactory is the supported way to use a private resolver
  public static ManagedChannel channel(List<String> endpoints) {
    List<InetSocketAddress> addresses = addresses(endpoints);
    NameResolverRegistry registry = new NameResolverRegistry();
    registry.register(new StaticProvider(addresses));
    return Grpc.newChannelBuilder(SCHEME + ":///" + String.join(",", endpoints),
            InsecureChannelCredentials.create())
        .nameResolverFactory(registry.asFactory())
        .defaultLoadBalancingPolicy("pick_first")
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .maxInboundMessageSize(64 * 1024 * 1024)
        .enableRetry()
        .build();
  }

  static List<InetSocketAddress> addresses(List<String> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no store endpoints given (expected host:port,...)");
    }
    List<InetSocketAddress> out = new ArrayList<>();
    for (String endpoint : endpoints) {
      String e = endpoint.replaceFirst("^https?://", "");
      int colon = e.lastIndexOf(':');
      if (colon <= 0 || colon == e.length() - 1) {
        throw new IllegalArgumentException("store endpoint '" + endpoint + "' is not host:port");
      }
      String host = e.substring(0, colon).replace("[", "").replace("]", "");
      int port;
      try {
        port = Integer.parseInt(e.substring(colon + 1));
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("store endpoint '" + endpoint + "' has a bad port", ex);
      }
      out.add(InetSocketAddress.createUnresolved(host, port));
    }
    return out;
  }

  /** Resolves the fixed address list once per refresh (host names through the JVM resolver). */
  private static final class StaticProvider extends NameResolverProvider {
    private final List<InetSocketAddress> addresses;

    StaticProvider(List<InetSocketAddress> addresses) {
      this.addresses = List.copyOf(addresses);
    }

    @Override
    protected boolean isAvailable() {
      return true;
    }

    @Override
    protected int priority() {
      return 5;
    }

    @Override
    public String getDefaultScheme() {
      return SCHEME;
    }

    @Override
    public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
      return List.of(InetSocketAddress.class);
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
      if (!SCHEME.equals(targetUri.getScheme())) {
        return null;
      }
      return new NameResolver() {
        private Listener2 listener;

        @Override
        public String getServiceAuthority() {
          return addresses.getFirst().getHostString();
        }

        @Override
        public void start(Listener2 l) {
          this.listener = l;
          resolve();
        }

        @Override
        public void refresh() {
          resolve();
        }

        private void resolve() {
          List<EquivalentAddressGroup> groups = new ArrayList<>();
          for (InetSocketAddress a : addresses) {
            InetSocketAddress resolved = new InetSocketAddress(a.getHostString(), a.getPort());
            if (!resolved.isUnresolved()) {
              groups.add(new EquivalentAddressGroup(resolved));
            }
          }
          if (groups.isEmpty()) {
            listener.onError(Status.UNAVAILABLE.withDescription("no store endpoint resolves: " + addresses));
            return;
          }
          listener.onResult(ResolutionResult.newBuilder().setAddressesOrError(
              io.grpc.StatusOr.fromValue(groups)).build());
        }

        @Override
        public void shutdown() {}
      };
    }
  }
}
