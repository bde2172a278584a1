package dev.skiff.cli.config;

import java.util.List;

/**
 * What {@code ~/.skiff/config} holds: the API servers to talk to and the namespace commands use
 * when none is given. An empty list or namespace means "not set" (the built-in default applies).
 */
public record SkiffConfig(List<String> servers, String currentNamespace) {
  public static final String DEFAULT_SERVER = "127.0.0.1:6443";
  public static final String DEFAULT_NAMESPACE = "default";

  public SkiffConfig {
    servers = List.copyOf(servers);
    currentNamespace = currentNamespace == null ? "" : currentNamespace;
  }

  public static SkiffConfig empty() {
    return new SkiffConfig(List.of(), "");
  }

  public List<String> serversOrDefault() {
    return servers.isEmpty() ? List.of(DEFAULT_SERVER) : servers;
  }

  public String namespaceOrDefault() {
    return currentNamespace.isEmpty() ? DEFAULT_NAMESPACE : currentNamespace;
  }

  public SkiffConfig withNamespace(String namespace) {
    return new SkiffConfig(servers, namespace);
  }

  public SkiffConfig withServers(List<String> newServers) {
    return new SkiffConfig(newServers, currentNamespace);
  }
}
