package dev.skiff.client;

import java.util.ArrayList;
import java.util.List;

/** Parses and checks API server addresses written {@code host:port} or {@code [v6]:port}. */
final class ServerAddresses {
  record HostPort(String host, int port) {
    @Override
    public String toString() {
      return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  private ServerAddresses() {}

  static List<HostPort> parse(List<String> servers) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no API server given: pass at least one host:port");
    }
    List<HostPort> out = new ArrayList<>();
    for (String s : servers) {
      out.add(parseOne(s.trim()));
    }
    return List.copyOf(out);
  }

  static HostPort parseOne(String s) {
    String host;
    String port;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw bad(s);
      }
      host = s.substring(1, close);
      port = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || s.indexOf(':') != colon) {
        throw bad(s);
      }
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
    }
    try {
      int p = Integer.parseInt(port);
      if (p < 1 || p > 65535) {
        throw bad(s);
      }
      return new HostPort(host, p);
    } catch (NumberFormatException e) {
      throw bad(s);
    }
  }

  private static IllegalArgumentException bad(String s) {
    return new IllegalArgumentException(
        "API server address '" + s + "' is not host:port (e.g. 10.0.0.1:6443 or [::1]:6443)");
  }
}
