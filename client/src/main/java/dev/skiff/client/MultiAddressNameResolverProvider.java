package dev.skiff.client;

import dev.skiff.client.ServerAddresses.HostPort;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
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
 * Resolves {@code skiff-servers:///host1:port1,host2:port2} to one address group per API server,
 * so a single channel spreads calls over all of them (the channel uses {@code round_robin}: calls go
 * only to servers whose connection is READY, a failed server is skipped and reconnected in the
 * background with gRPC's connection backoff). DNS names are looked up on the channel's offload
 * executor at start and on every {@code refresh()} (which gRPC calls after connection failures).
 * A name that does not resolve is skipped and logged; if none resolves the channel sees UNAVAILABLE.
 */
final class MultiAddressNameResolverProvider extends NameResolverProvider {
  static final String SCHEME = "skiff-servers";
  private static final Logger log = LoggerFactory.getLogger(MultiAddressNameResolverProvider.class);

  static String target(List<HostPort> servers) {
    StringBuilder sb = new StringBuilder(SCHEME).append(":///");
    for (int i = 0; i < servers.size(); i++) {
      sb.append(i == 0 ? "" : ",").append(servers.get(i));
    }
    return sb.toString();
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
    String path = targetUri.getPath();
    List<String> parts = List.of((path.startsWith("/") ? path.substring(1) : path).split(","));
    return new Resolver(ServerAddresses.parse(parts), args);
  }

  /** Thread model: start/refresh/shutdown run in the channel's SynchronizationContext; lookups on the offload executor. */
  private static final class Resolver extends NameResolver {
    private final List<HostPort> servers;
    private final Args args;
    private Listener2 listener;
    private boolean resolving;
    private boolean shutdown;

    Resolver(List<HostPort> servers, Args args) {
      this.servers = servers;
      this.args = args;
    }

    @Override
    public String getServiceAuthority() {
      return servers.getFirst().toString();
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
      for (HostPort hp : servers) {
        InetSocketAddress address = new InetSocketAddress(hp.host(), hp.port());
        if (address.isUnresolved()) {
          log.warn("API server {} does not resolve, skipping it", hp);
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
        result.setAddressesOrError(StatusOr.fromStatus(
            Status.UNAVAILABLE.withDescription("none of the API servers " + servers + " resolves")));
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
