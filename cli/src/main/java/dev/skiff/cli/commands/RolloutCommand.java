package dev.skiff.cli.commands;

import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.OwnerReference;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.CliException;
import dev.skiff.cli.commands.Resources.Target;
import dev.skiff.client.api.Kinds;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code skiff rollout status|history|undo|pause|resume|restart} for Deployments. */
@Command(name = "rollout", description = "Manage the rollout of a Deployment.", mixinStandardHelpOptions = true,
    subcommands = {
        RolloutStatusCommand.class, RolloutHistoryCommand.class, RolloutUndoCommand.class,
        RolloutPatchCommands.Pause.class, RolloutPatchCommands.Resume.class, RolloutPatchCommands.Restart.class})
public final class RolloutCommand implements Runnable {

  @Mixin GlobalOptions global;
  static final String REVISION = "deployment.kubernetes.io/revision";
  static final String CHANGE_CAUSE = "kubernetes.io/change-cause";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "give a subcommand: status, history, undo, pause, resume or restart");
  }

  /** The Deployment's name from {@code deployment/web} or {@code deployment web}. */
  static String deploymentName(List<String> args) {
    List<Target> targets = Resources.targets(args);
    if (targets.size() != 1 || targets.get(0).name() == null) {
      throw new CliException("give exactly one deployment, e.g. deployment/web");
    }
    if (targets.get(0).kind() != Kinds.DEPLOYMENT) {
      throw new CliException("rollout supports deployments only, not " + targets.get(0).kind().plural());
    }
    return targets.get(0).name();
  }

  static Deployment getDeployment(CliContext ctx, String name) {
    return Resources.about(Kinds.DEPLOYMENT, name,
        () -> ctx.client().resource(Kinds.DEPLOYMENT).get(ctx.namespace(), name));
  }

  /** The Deployment's ReplicaSets (owned by its uid), oldest revision first. */
  static List<ReplicaSet> replicaSets(CliContext ctx, Deployment d) {
    List<ReplicaSet> all = ctx.client().resource(Kinds.REPLICA_SET)
        .list(ListRequest.newBuilder().setNamespace(d.getMetadata().getNamespace()).build())
        .getItemsList();
    return all.stream()
        .filter(rs -> ownedBy(rs, d))
        .sorted(Comparator.comparingLong(RolloutCommand::revision))
        .toList();
  }

  static long revision(ReplicaSet rs) {
    try {
      return Long.parseLong(rs.getMetadata().getAnnotationsOrDefault(REVISION, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean ownedBy(ReplicaSet rs, Deployment d) {
    for (OwnerReference ref : rs.getMetadata().getOwnerReferencesList()) {
      if (ref.getUid().equals(d.getMetadata().getUid()) && ref.getKind().equals("Deployment")) {
        return true;
      }
    }
    return false;
  }
}
