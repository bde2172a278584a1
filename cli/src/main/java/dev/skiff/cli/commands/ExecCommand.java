package dev.skiff.cli.commands;

import dev.skiff.api.v1.PodExecRequest;
import dev.skiff.api.v1.PodExecResponse;
import dev.skiff.api.v1.PodsGrpc;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.CliException;
import dev.skiff.client.ApiException;
import dev.skiff.client.api.Kinds;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code skiff exec [-c C] POD -- CMD ARGS...}: runs a command in a container (not interactive)
 * through Pods/Exec; prints its output and exits with its exit code.
 */
@Command(name = "exec", description = "Run a command in a container.", mixinStandardHelpOptions = true)
public final class ExecCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  private final CliContext ctx;

  @Parameters(index = "0", paramLabel = "POD | pod/NAME")
  String pod;

  @Parameters(index = "1..*", paramLabel = "COMMAND", description = "The command, after --.")
  List<String> command = new ArrayList<>();

  @Option(names = {"-c", "--container"}, description = "The container (needed when the pod has several).")
  String container = "";

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop the command after this long (default: the server's).")
  int timeoutSeconds;

  public ExecCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (command.isEmpty()) {
      throw new CliException("you must specify at least one command for the container, after --");
    }
    String name = LogsCommand.podName(pod);
    PodExecRequest request = PodExecRequest.newBuilder()
        .setNamespace(ctx.namespace()).setName(name).setContainer(container)
        .addAllCommand(command).setTimeoutSeconds(timeoutSeconds).build();
    long deadline = timeoutSeconds > 0 ? timeoutSeconds + 10L : 300L;
    PodExecResponse response;
    try {
      response = PodsGrpc.newBlockingStub(ctx.client().channel())
          .withDeadlineAfter(deadline, TimeUnit.SECONDS).exec(request);
    } catch (StatusRuntimeException e) {
      throw new dev.skiff.cli.ObjectCallException(Kinds.POD, name, ApiException.from(e));
    }
    ctx.out().print(response.getStdout().toString(StandardCharsets.UTF_8));
    ctx.out().flush();
    ctx.err().print(response.getStderr().toString(StandardCharsets.UTF_8));
    ctx.err().flush();
    return response.getExitCode();
  }
}
