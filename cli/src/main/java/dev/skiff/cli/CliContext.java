package dev.skiff.cli;

import dev.skiff.cli.config.ConfigFile;
import dev.skiff.cli.config.ServerList;
import dev.skiff.cli.config.SkiffConfig;
import dev.skiff.client.SkiffClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * One CLI invocation's state: the global options ({@code --server}, {@code -n}, {@code --config})
 * resolved against the config file, and the API client, made on first use and closed by
 * {@link #close()}. Used from the command's thread only (watch callbacks print through
 * {@link #out()}, which is synchronized).
 */
public final class CliContext implements AutoCloseable {
  private final CliEnvironment env;
  private String serverOverride;
  private String namespaceOverride;
  private Path configPath;
  private SkiffConfig config;
  private SkiffClient client;

  public CliContext(CliEnvironment env) {
    this.env = env;
  }

  public CliEnvironment env() {
    return env;
  }

  public PrintWriter out() {
    return env.out();
  }

  public PrintWriter err() {
    return env.err();
  }

  public Clock clock() {
    return env.clock();
  }

  void setServerOverride(String servers) {
    this.serverOverride = servers;
  }

  void setNamespaceOverride(String namespace) {
    this.namespaceOverride = namespace;
  }

  void setConfigPath(Path path) {
    this.configPath = path;
    this.config = null;
  }

  public ConfigFile configFile() {
    Path path = configPath != null ? env.workingDir().resolve(configPath) : ConfigFile.defaultPath(env.home());
    return new ConfigFile(path);
  }

  public SkiffConfig config() {
    if (config == null) {
      config = configFile().load();
    }
    return config;
  }

  /** {@code --server}, else $SKIFF_SERVER, else the config file's servers, else 127.0.0.1:6443. */
  public List<String> servers() {
    if (serverOverride != null && !serverOverride.isBlank()) {
      return ServerList.parse(serverOverride);
    }
    String fromEnv = env.env().get("SKIFF_SERVER");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return ServerList.parse(fromEnv);
    }
    return config().serversOrDefault();
  }

  /** {@code -n}, else the config file's current namespace, else "default". */
  public String namespace() {
    if (namespaceOverride != null && !namespaceOverride.isBlank()) {
      return namespaceOverride;
    }
    return config().namespaceOrDefault();
  }

  public boolean namespaceGiven() {
    return namespaceOverride != null && !namespaceOverride.isBlank();
  }

  public SkiffClient client() {
    if (client == null) {
      client = env.connector().apply(servers());
    }
    return client;
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }
}
