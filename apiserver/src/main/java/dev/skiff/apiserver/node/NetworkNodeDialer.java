package dev.skiff.apiserver.node;

import io.grpc.Channel;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Dials node agents over the network, one cached plaintext channel per address. Thread-safe. */
public final class NetworkNodeDialer implements NodeDialer {
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  @Override
  public Channel dial(String nodeName, String host, int port) {
    String target = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    return channels.computeIfAbsent(target, t -> Grpc.newChannelBuilder(t, InsecureChannelCredentials.create())
        .idleTimeout(5, TimeUnit.MINUTES).build());
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    channels.clear();
  }
}
