package dev.skiff.cli.commands;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.config.ServerList;
import dev.skiff.cli.config.SkiffConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code skiff config view|set-namespace|set-server}: the CLI's config file. */
@Command(name = "config", description = "Show or change the CLI's config file.", mixinStandardHelpOptions = true,
    subcommands = {ConfigCommand.View.class, ConfigCommand.SetNamespace.class, ConfigCommand.SetServer.class})
public final class ConfigCommand implements Runnable {

  @Mixin GlobalOptions global;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand: view, set-namespace or set-server");
  }

  @Command(name = "view", description = "Print the config file and the values in effect.", mixinStandardHelpOptions = true)
  static final class View implements Callable<Integer> {

  @Mixin GlobalOptions global;
    private final CliContext ctx;

    View(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      SkiffConfig c = ctx.config();
      ctx.out().println("# " + ctx.configFile().path());
      ctx.out().println("servers:");
      ctx.servers().forEach(s -> ctx.out().println("- " + s));
      ctx.out().println("currentNamespace: " + ctx.namespace());
      if (c.servers().isEmpty() || c.currentNamespace().isEmpty()) {
        ctx.out().println("# values not in the file are the defaults (or the command line's)");
      }
      return 0;
    }
  }

  @Command(name = "set-namespace", description = "Set the namespace commands use by default.",
      mixinStandardHelpOptions = true)
  static final class SetNamespace implements Callable<Integer> {

  @Mixin GlobalOptions global;
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "NAMESPACE")
    String namespace;

    SetNamespace(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      ctx.configFile().save(ctx.config().withNamespace(namespace));
      ctx.out().println("Namespace set to \"" + namespace + "\" in " + ctx.configFile().path());
      return 0;
    }
  }

  @Command(name = "set-server", description = "Set the API servers (host:port[,host:port]).",
      mixinStandardHelpOptions = true)
  static final class SetServer implements Callable<Integer> {

  @Mixin GlobalOptions global;
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "host:port[,host:port]")
    String servers;

    SetServer(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      ctx.configFile().save(ctx.config().withServers(ServerList.parse(servers)));
      ctx.out().println("Servers set to " + servers + " in " + ctx.configFile().path());
      return 0;
    }
  }
}
