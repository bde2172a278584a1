package dev.skiff.cli;

import dev.skiff.cli.commands.ApplyCommand;
import dev.skiff.cli.commands.ClusterInfoCommand;
import dev.skiff.cli.commands.CompletionCommand;
import dev.skiff.cli.commands.ConfigCommand;
import dev.skiff.cli.commands.CreateCommand;
import dev.skiff.cli.commands.DeleteCommand;
import dev.skiff.cli.commands.DescribeCommand;
import dev.skiff.cli.commands.ExecCommand;
import dev.skiff.cli.commands.GetCommand;
import dev.skiff.cli.commands.LogsCommand;
import dev.skiff.cli.commands.RolloutCommand;
import dev.skiff.cli.commands.ScaleCommand;
import dev.skiff.cli.commands.VersionCommand;
import dev.skiff.cli.server.ServerCommand;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code skiff} executable: kubectl-style user commands and the cluster's processes
 * ({@code server}, and each component's own command). The global options ({@link GlobalOptions})
 * are accepted by skiff itself and by every user command, and land in the run's {@link CliContext}.
 */
@Command(
    name = "skiff",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "Skiff: a Kubernetes-style container orchestrator.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  /** Commands that run cluster processes: they log at INFO; user commands only warn. */
  private static final Set<String> SERVER_COMMANDS =
      Set.of("server", "store", "apiserver", "scheduler", "controller-manager", "agent");

  private final CliContext context;

  public Main(CliContext context) {
    this.context = context;
  }

  @Mixin GlobalOptions global;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "no command given; run 'skiff --help' for the list");
  }

  public static void main(String[] args) {
    if (System.getProperty("skiff.log.level") == null && System.getenv("SKIFF_LOG_LEVEL") == null) {
      boolean server = args.length > 0 && SERVER_COMMANDS.contains(args[0]);
      System.setProperty("skiff.log.level", server ? "INFO" : "WARN");
    }
    int code = run(CliEnvironment.system(), args);
    System.exit(code);
  }

  /** Runs one command line; returns the exit code (0 ok, 1 error, 2 usage error). */
  public static int run(CliEnvironment env, String... args) {
    try (CliContext context = new CliContext(env)) {
      CommandLine cmd = commandLine(context);
      return cmd.execute(args);
    } finally {
      env.out().flush();
      env.err().flush();
    }
  }

  /** The full command tree bound to {@code context}. */
  public static CommandLine commandLine(CliContext context) {
    CommandLine cmd = new CommandLine(new Main(context), new ContextFactory(context));
    for (Class<?> sub : List.of(
        GetCommand.class, DescribeCommand.class, ApplyCommand.class, CreateCommand.class,
        DeleteCommand.class, ScaleCommand.class, RolloutCommand.class, LogsCommand.class,
        ExecCommand.class, VersionCommand.class, ClusterInfoCommand.class, ConfigCommand.class,
        CompletionCommand.class, ServerCommand.class)) {
      cmd.addSubcommand(sub);
    }
    ComponentCommands.register(cmd);
    ErrorReporter reporter = new ErrorReporter(context::servers);
    cmd.setOut(context.out());
    cmd.setErr(context.err());
    cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      for (String line : reporter.lines(ex)) {
        context.err().println(line);
      }
      if (context.env().env().containsKey("SKIFF_DEBUG")) {
        ex.printStackTrace(context.err());
      }
      context.err().flush();
      return ex instanceof CliException c ? c.exitCode() : 1;
    });
    cmd.setParameterExceptionHandler((ex, args) -> {
      CommandLine failed = ex.getCommandLine();
      context.err().println("error: " + ex.getMessage());
      context.err().println("See '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
      context.err().flush();
      return 2;
    });
    return cmd;
  }

  /** Builds commands with the run's {@link CliContext} when they take one in their constructor. */
  private record ContextFactory(CliContext context) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        var constructor = cls.getDeclaredConstructor(CliContext.class);
        constructor.setAccessible(true);
        return constructor.newInstance(context);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }
}
