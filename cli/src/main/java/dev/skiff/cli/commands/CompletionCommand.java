package dev.skiff.cli.commands;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.CliException;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code skiff completion bash}: a bash completion script ({@code source <(skiff completion bash)}). */
@Command(name = "completion", description = "Print a shell completion script (bash).", mixinStandardHelpOptions = true)
public final class CompletionCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  private final CliContext ctx;

  @Parameters(index = "0", paramLabel = "SHELL", description = "bash")
  String shell;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public CompletionCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (!shell.equals("bash")) {
      throw new CliException("unsupported shell \"" + shell + "\": only bash is supported");
    }
    ctx.out().print(AutoComplete.bash("skiff", spec.root().commandLine()));
    return 0;
  }
}
