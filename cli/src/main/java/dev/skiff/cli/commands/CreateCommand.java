package dev.skiff.cli.commands;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.CliException;
import dev.skiff.cli.ErrorReporter;
import dev.skiff.cli.manifest.Manifest;
import dev.skiff.cli.output.ObjectNames;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code skiff create -f}: creates every object; one that exists already is an error. */
@Command(name = "create", description = "Create resources from manifests.", mixinStandardHelpOptions = true)
public final class CreateCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  private final CliContext ctx;

  @Mixin ManifestOptions manifests;

  public CreateCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (!manifests.given()) {
      throw new CliException("must specify -f FILE|DIR|-");
    }
    int failures = 0;
    ErrorReporter reporter = new ErrorReporter(ctx::servers);
    for (Manifest m : manifests.read(ctx)) {
      String name = m.meta().getName();
      try {
        Resources.about(m.kind(), name, () -> Resources.client(ctx, m.kind()).create(m.object()));
        ctx.out().println(ObjectNames.qualified(m.kind().kind(), m.kind().apiVersion(), name) + " created");
      } catch (RuntimeException e) {
        if (ApplyCommand.fatal(e)) {
          throw e;
        }
        failures++;
        reporter.lines(e).forEach(ctx.err()::println);
      }
    }
    return failures == 0 ? 0 : 1;
  }
}
