package dev.skiff.cli.commands;

import dev.skiff.api.v1.ListRequest;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.Main;
import dev.skiff.client.api.Kinds;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code skiff version}: the client's version, and the server's reachability and API through a
 * cheap call (a one-item namespace list): the API has no version call of its own yet.
 */
@Command(name = "version", description = "Print the client and server versions.", mixinStandardHelpOptions = true)
public final class VersionCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  private final CliContext ctx;

  @Option(names = "--client", description = "The client version only (no server call).")
  boolean clientOnly;

  public VersionCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  /** The version in the jar's manifest, or "dev" when run from classes. */
  public static String clientVersion() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public Integer call() {
    ctx.out().println("Client Version: " + clientVersion());
    if (clientOnly) {
      return 0;
    }
    Instant start = Instant.now();
    ctx.client().resource(Kinds.NAMESPACE).list(ListRequest.newBuilder().setLimit(1).build());
    long millis = Duration.between(start, Instant.now()).toMillis();
    ctx.out().println("Server: " + String.join(",", ctx.servers()) + " (API skiff.api.v1, answered in "
        + millis + " ms)");
    return 0;
  }

  /** {@code skiff --version}. */
  public static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"skiff " + clientVersion()};
    }
  }
}
