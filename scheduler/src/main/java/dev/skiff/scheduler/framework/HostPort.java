package dev.skiff.scheduler.framework;

/** A host port a pod uses: {@code hostIp} "0.0.0.0" means every address of the node. */
public record HostPort(String hostIp, String protocol, int port) {
  public static final String ANY_IP = "0.0.0.0";

  public static HostPort of(String hostIp, String protocol, int port) {
    return new HostPort(hostIp.isEmpty() ? ANY_IP : hostIp, protocol.isEmpty() ? "TCP" : protocol, port);
  }

  /** Whether both cannot be bound on one node: same port and protocol, and overlapping address. */
  public boolean conflictsWith(HostPort o) {
    return port == o.port
        && protocol.equals(o.protocol)
        && (hostIp.equals(o.hostIp) || hostIp.equals(ANY_IP) || o.hostIp.equals(ANY_IP));
  }
}
