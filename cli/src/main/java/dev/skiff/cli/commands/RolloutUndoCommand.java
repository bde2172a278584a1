package dev.skiff.cli.commands;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.PodTemplateSpec;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.CliException;
import dev.skiff.client.api.Kinds;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skiff rollout undo deployment/web [--to-revision N]}, client-side like kubectl: the pod
 * template of the chosen revision's ReplicaSet (without its pod-template-hash label) becomes the
 * Deployment's template; the controller then rolls out as for any template change.
 */
@Command(name = "undo", description = "Roll a Deployment back to an earlier revision.", mixinStandardHelpOptions = true)
public final class RolloutUndoCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  static final String HASH_LABEL = "pod-template-hash";

  private final CliContext ctx;

  @Parameters(arity = "1..2", paramLabel = "deployment/NAME")
  List<String> args = new ArrayList<>();

  @Option(names = "--to-revision", description = "The revision to go back to (default: the previous one).")
  long toRevision;

  public RolloutUndoCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    String name = RolloutCommand.deploymentName(args);
    for (int attempt = 1; ; attempt++) {
      try {
        return undo(name);
      } catch (dev.skiff.cli.ObjectCallException e) {
        if (!e.api().isConflict() || attempt == 3) {
          throw e;
        }
      }
    }
  }

  private int undo(String name) {
    Deployment d = RolloutCommand.getDeployment(ctx, name);
    if (d.getSpec().getPaused()) {
      throw new CliException("you cannot rollback a paused deployment; resume it first with"
          + " 'skiff rollout resume deployment/" + name + "' and try again");
    }
    List<ReplicaSet> sets = RolloutCommand.replicaSets(ctx, d);
    ReplicaSet target = choose(sets).orElseThrow(() -> toRevision > 0
        ? new CliException("unable to find specified revision " + toRevision + " in history")
        : new CliException("no rollout history found for deployment \"" + name + "\""));
    PodTemplateSpec template = withoutHash(target.getSpec().getTemplate());
    if (template.equals(withoutHash(d.getSpec().getTemplate()))) {
      ctx.out().println("deployment.apps/" + name + " skipped rollback (current template already matches revision "
          + RolloutCommand.revision(target) + ")");
      return 0;
    }
    Deployment updated = d.toBuilder().setSpec(d.getSpec().toBuilder().setTemplate(template)).build();
    Resources.about(Kinds.DEPLOYMENT, name, () -> ctx.client().resource(Kinds.DEPLOYMENT).update(updated));
    ctx.out().println("deployment.apps/" + name + " rolled back");
    return 0;
  }

  private Optional<ReplicaSet> choose(List<ReplicaSet> sets) {
    if (toRevision > 0) {
      return sets.stream().filter(rs -> RolloutCommand.revision(rs) == toRevision).findFirst();
    }
    List<ReplicaSet> revised = sets.stream().filter(rs -> RolloutCommand.revision(rs) > 0).toList();
    return revised.size() < 2 ? Optional.empty() : Optional.of(revised.get(revised.size() - 2));
  }

  static PodTemplateSpec withoutHash(PodTemplateSpec t) {
    return t.toBuilder().setMetadata(t.getMetadata().toBuilder().removeLabels(HASH_LABEL)).build();
  }
}
