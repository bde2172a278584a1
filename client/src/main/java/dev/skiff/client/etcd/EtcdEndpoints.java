package dev.skiff.client.etcd;

import dev.skiff.client.AddressListResolverProvider;
import io.grpc.ManagedChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
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
  public static ManagedChannel channel(List<String> endpoints) {
    return AddressListResolverProvider.channelBuilder(SCHEME, "store endpoints", addresses(endpoints))
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
}
