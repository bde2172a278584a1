package dev.skiff.cli.config;

import java.util.ArrayList;
import java.util.List;

/** Parses {@code host:port[,host:port]} lists; a bad entry is a {@link ConfigException}. */
public final class ServerList {
  private ServerList() {}

  public static List<String> parse(String text) {
    List<String> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String s = part.trim();
      if (s.isEmpty()) {
        continue;
      }
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new ConfigException("server \"" + s + "\" must be host:port");
      }
      String port = s.substring(colon + 1);
      try {
        int p = Integer.parseInt(port);
        if (p < 1 || p > 65535) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        throw new ConfigException("server \"" + s + "\" has an invalid port \"" + port + "\"");
      }
      out.add(s);
    }
    if (out.isEmpty()) {
      throw new ConfigException("no server given: expected host:port[,host:port]");
    }
    return out;
  }
}
