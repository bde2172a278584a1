package dev.skiff.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --server}, {@code -n/--namespace} and {@code --config}, mixed into {@code skiff} itself
 * and into every user command (so they work before or after the command name). Not inherited by
 * the cluster components' commands, which have flags of their own. Values land in the run's
 * {@link CliContext}.
 */
public final class GlobalOptions {
  private final CliContext context;

  public GlobalOptions(CliContext context) {
    this.context = context;
  }

  @Option(names = "--server", paramLabel = "host:port[,host:port]",
      description = "API servers (default: the config file's, else 127.0.0.1:6443).")
  void setServer(String servers) {
    context.setServerOverride(servers);
  }

  @Option(names = {"-n", "--namespace"}, paramLabel = "NAMESPACE",
      description = "Namespace (default: the config file's current namespace, else default).")
  void setNamespace(String namespace) {
    context.setNamespaceOverride(namespace);
  }

  @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: ~/.skiff/config).")
  void setConfig(Path path) {
    context.setConfigPath(path);
  }
}
