package dev.skiff.cli.commands;

import dev.skiff.api.v1.Deployment;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.CliException;
import dev.skiff.client.api.Kinds;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rollout pause|resume|restart}: one merge patch each. */
final class RolloutPatchCommands {
  static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

  private RolloutPatchCommands() {}

  private abstract static class Base implements Callable<Integer> {

  @Mixin GlobalOptions global;
    final CliContext ctx;

    @Parameters(arity = "1..2", paramLabel = "deployment/NAME")
    List<String> args = new ArrayList<>();

    Base(CliContext ctx) {
      this.ctx = ctx;
    }

    void patch(String name, String json, String done) {
      Resources.about(Kinds.DEPLOYMENT, name,
          () -> ctx.client().resource(Kinds.DEPLOYMENT).patch(ctx.namespace(), name, json));
      ctx.out().println("deployment.apps/" + name + " " + done);
    }
  }

  @Command(name = "pause", description = "Pause a Deployment's rollouts.", mixinStandardHelpOptions = true)
  static final class Pause extends Base {
    Pause(CliContext ctx) {
      super(ctx);
    }

    @Override
    public Integer call() {
      String name = RolloutCommand.deploymentName(args);
      Deployment d = RolloutCommand.getDeployment(ctx, name);
      if (d.getSpec().getPaused()) {
        throw new CliException("deployments.apps \"" + name + "\" is already paused");
      }
      patch(name, "{\"spec\":{\"paused\":true}}", "paused");
      return 0;
    }
  }

  @Command(name = "resume", description = "Resume a paused Deployment.", mixinStandardHelpOptions = true)
  static final class Resume extends Base {
    Resume(CliContext ctx) {
      super(ctx);
    }

    @Override
    public Integer call() {
      String name = RolloutCommand.deploymentName(args);
      Deployment d = RolloutCommand.getDeployment(ctx, name);
      if (!d.getSpec().getPaused()) {
        throw new CliException("deployments.apps \"" + name + "\" is not paused");
      }
      patch(name, "{\"spec\":{\"paused\":false}}", "resumed");
      return 0;
    }
  }

  @Command(name = "restart", description = "Restart every pod of a Deployment (a new rollout).",
      mixinStandardHelpOptions = true)
  static final class Restart extends Base {
    Restart(CliContext ctx) {
      super(ctx);
    }

    @Override
    public Integer call() {
      String name = RolloutCommand.deploymentName(args);
      RolloutCommand.getDeployment(ctx, name);
      String now = DateTimeFormatter.ISO_INSTANT.format(ctx.clock().instant().truncatedTo(ChronoUnit.SECONDS));
      patch(name, "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"" + RESTARTED_AT + "\":\"" + now
          + "\"}}}}}", "restarted");
      return 0;
    }
  }
}
