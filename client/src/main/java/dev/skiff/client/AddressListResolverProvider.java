package dev.skiff.client;

import io.grpc.EquivalentAddressGroup;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannelBuilder;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.StatusOr;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The name resolver of a channel to a fixed list of servers (API servers, store members): one
 * address group per server, so the channel's load-balancing policy spreads calls over them
 * ({@code round_robin}) or fails over between them ({@code pick_first}). Host names are looked up
 * on the channel's offload executor at start and on every {@code refresh()}, which gRPC calls
 * after connection failures; a name that does not resolve is skipped and logged, and if none
 * resolves the channel sees UNAVAILABLE. The list lives in the provider, installed for one channel
 * only ({@link #channelBuilder}), not in the target string: an IPv6 literal is not valid in a URI.
 */
public final class AddressListResolverProvider extends NameResolverProvider {
  private static final Logger log = LoggerFactory.getLogger(AddressListResolverProvider.class);

  private final String scheme;
  private final String what;
  private final List<InetSocketAddress> servers;

  private AddressListResolverProvider(String scheme, String what, List<InetSocketAddress> servers) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no " + what + " given");
    }
    this.scheme = scheme;
    this.what = what;
    this.servers = List.copyOf(servers);
  }

  /**
   * A plaintext channel builder whose target is {@code servers} (unresolved addresses), named
   * {@code what} in messages ("API servers", "store endpoints"); the caller sets the policy.
   */
  @SuppressWarnings("deprecation") // nameResolverFactory is the supported way to give one channel a private resolver
  public static ManagedChannelBuilder<?> channelBuilder(String scheme, String what, List<InetSocketAddress> servers) {
    AddressListResolverProvider provider = new AddressListResolverProvider(scheme, what, servers);
    NameResolverRegistry registry = new NameResolverRegistry();
    registry.register(provider);
    return Grpc.newChannelBuilder(scheme + ":///" + provider.servers.getFirst().getHostString(),
            InsecureChannelCredentials.create())
        .nameResolverFactory(registry.asFactory());
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
    return scheme;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    return scheme.equals(targetUri.getScheme()) ? new Resolver(args) : null;
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** Thread model: start/refresh/shutdown run in the channel's SynchronizationContext; lookups on the offload executor. */
  private final class Resolver extends NameResolver {
    private final Args args;
    private Listener2 listener;
    private boolean resolving;
    private boolean shutdown;

    Resolver(Args args) {
      this.args = args;
    }

    @Override
    public String getServiceAuthority() {
      return hostPort(servers.getFirst());
    }

    @Override
    public void start(Listener2 listener) {
      this.listener = listener;
      resolve();
    }

    @Override
    public void refresh() {
      resolve();
    }

    private void resolve() {
      if (resolving || shutdown) {
        return;
      }
      resolving = true;
      Executor executor = args.getOffloadExecutor() != null ? args.getOffloadExecutor() : Runnable::run;
      executor.execute(() -> {
        List<EquivalentAddressGroup> groups = lookUp();
        args.getSynchronizationContext().execute(() -> deliver(groups));
      });
    }

    private List<EquivalentAddressGroup> lookUp() {
      List<EquivalentAddressGroup> groups = new ArrayList<>();
      for (InetSocketAddress server : servers) {
        InetSocketAddress address = new InetSocketAddress(server.getHostString(), server.getPort());
        if (address.isUnresolved()) {
          log.warn("{} {} does not resolve, skipping it", what, hostPort(server));
          continue;
        }
        groups.add(new EquivalentAddressGroup(address));
      }
      return groups;
    }

    private void deliver(List<EquivalentAddressGroup> groups) {
      resolving = false;
      if (shutdown) {
        return;
      }
      ResolutionResult.Builder result = ResolutionResult.newBuilder();
      if (groups.isEmpty()) {
        result.setAddressesOrError(StatusOr.fromStatus(Status.UNAVAILABLE.withDescription(
            "none of the " + what + " " + servers.stream().map(AddressListResolverProvider::hostPort).toList()
                + " resolves")));
      } else {
        result.setAddressesOrError(StatusOr.fromValue(groups));
      }
      listener.onResult2(result.build());
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }
  }
}
