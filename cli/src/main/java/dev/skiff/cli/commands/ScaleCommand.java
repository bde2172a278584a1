package dev.skiff.cli.commands;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.CliException;
import dev.skiff.cli.commands.Resources.Target;
import dev.skiff.cli.output.ObjectNames;
import dev.skiff.client.api.Kinds;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skiff scale deployment/web --replicas=3}: a merge patch of spec.replicas. */
@Command(name = "scale", description = "Set the number of replicas of a Deployment or ReplicaSet.",
    mixinStandardHelpOptions = true)
public final class ScaleCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  private final CliContext ctx;

  @Parameters(arity = "1..*", paramLabel = "TYPE NAME | TYPE/NAME")
  List<String> args = new ArrayList<>();

  @Option(names = "--replicas", required = true, description = "The new number of replicas.")
  int replicas;

  public ScaleCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (replicas < 0) {
      throw new CliException("--replicas must not be negative, got " + replicas);
    }
    for (Target t : Resources.targets(args)) {
      if (t.kind() != Kinds.DEPLOYMENT && t.kind() != Kinds.REPLICA_SET) {
        throw new CliException("cannot scale " + t.kind().plural() + ": only deployments and replicasets scale");
      }
      if (t.name() == null) {
        throw new CliException("give the name of the " + t.kind().kind() + " to scale");
      }
      String patch = "{\"spec\":{\"replicas\":" + replicas + "}}";
      Resources.about(t.kind(), t.name(),
          () -> Resources.client(ctx, t.kind()).patch(Resources.namespace(ctx, t.kind()), t.name(), patch));
      ctx.out().println(ObjectNames.qualified(t.kind().kind(), t.kind().apiVersion(), t.name()) + " scaled");
    }
    return 0;
  }
}
