package dev.skiff.cli.commands;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.CliException;
import dev.skiff.cli.output.ObjectFormats;
import dev.skiff.cli.output.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skiff rollout history deployment/web [--revision N]}: revisions from the ReplicaSets. */
@Command(name = "history", description = "Show the revisions of a Deployment.", mixinStandardHelpOptions = true)
public final class RolloutHistoryCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  private final CliContext ctx;

  @Parameters(arity = "1..2", paramLabel = "deployment/NAME")
  List<String> args = new ArrayList<>();

  @Option(names = "--revision", description = "Show the pod template of this revision.")
  long revision;

  public RolloutHistoryCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    String name = RolloutCommand.deploymentName(args);
    Deployment d = RolloutCommand.getDeployment(ctx, name);
    List<ReplicaSet> sets = RolloutCommand.replicaSets(ctx, d);
    if (revision > 0) {
      ReplicaSet rs = sets.stream().filter(s -> RolloutCommand.revision(s) == revision).findFirst()
          .orElseThrow(() -> new CliException("unable to find the specified revision " + revision));
      ctx.out().println("deployment.apps/" + name + " with revision #" + revision);
      ctx.out().print(ObjectFormats.yaml(rs.getSpec().getTemplate()));
      return 0;
    }
    ctx.out().println("deployment.apps/" + name);
    Table table = Table.of("REVISION", "CHANGE-CAUSE");
    for (ReplicaSet rs : sets) {
      long r = RolloutCommand.revision(rs);
      if (r > 0) {
        table.addRow(String.valueOf(r),
            rs.getMetadata().getAnnotationsOrDefault(RolloutCommand.CHANGE_CAUSE, "<none>"));
      }
    }
    ctx.out().print(table.render(true));
    return 0;
  }
}
