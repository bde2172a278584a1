package dev.skiff.cri.sim;

import java.util.HashSet;
import java.util.Set;

/**
 * Allocates IPv4 addresses from a CIDR range like CNI host-local: skips the network address, the
 * gateway (first host) and the broadcast address, and hands addresses out round-robin so a
 * released address is not reused at once. Not thread-safe: its owner guards it.
 */
final class Ipv4Pool {
  private final String cidr;
  private final int first; // first allocatable address (network + 2)
  private final int size; // number of allocatable addresses
  private final Set<Integer> allocated = new HashSet<>();
  private int cursor;

  Ipv4Pool(String cidr) {
    this.cidr = cidr;
    String[] parts = cidr.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("not a CIDR (a.b.c.d/n): " + cidr);
    }
    int prefix = Integer.parseInt(parts[1]);
    if (prefix < 8 || prefix > 30) {
      throw new IllegalArgumentException("pod CIDR prefix must be /8../30: " + cidr);
    }
    int mask = (int) (0xffffffffL << (32 - prefix));
    int network = parse(parts[0]) & mask;
    this.first = network + 2;
    this.size = (1 << (32 - prefix)) - 3;
  }

  /** The next free address, or throws when the range is exhausted. */
  String allocate() {
    if (allocated.size() >= size) {
      throw new IllegalStateException("no free address left in " + cidr);
    }
    while (allocated.contains(cursor)) {
      cursor = (cursor + 1) % size;
    }
    int offset = cursor;
    allocated.add(offset);
    cursor = (cursor + 1) % size;
    return format(first + offset);
  }

  void release(String ip) {
    allocated.remove(parse(ip) - first);
  }

  int allocatedCount() {
    return allocated.size();
  }

  private static int parse(String ip) {
    String[] octets = ip.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + ip);
    }
    int v = 0;
    for (String o : octets) {
      int b = Integer.parseInt(o);
      if (b < 0 || b > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + ip);
      }
      v = (v << 8) | b;
    }
    return v;
  }

  private static String format(int v) {
    return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
  }
}
