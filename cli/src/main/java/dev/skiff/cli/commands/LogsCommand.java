package dev.skiff.cli.commands;

import dev.skiff.api.v1.PodLogChunk;
import dev.skiff.api.v1.PodLogRequest;
import dev.skiff.api.v1.PodsGrpc;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.CliException;
import dev.skiff.cli.commands.Resources.Target;
import dev.skiff.client.ApiException;
import dev.skiff.client.api.Kinds;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skiff logs [-f] [-c C] [--tail N] POD}: the container's log through Pods/GetLogs. */
@Command(name = "logs", description = "Print the logs of a container in a pod.", mixinStandardHelpOptions = true)
public final class LogsCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  private final CliContext ctx;

  @Parameters(index = "0", paramLabel = "POD | pod/NAME")
  String pod;

  @Option(names = {"-c", "--container"}, description = "The container (needed when the pod has several).")
  String container = "";

  @Option(names = {"-f", "--follow"}, description = "Keep streaming new lines.")
  boolean follow;

  @Option(names = "--tail", description = "Only the last N lines (-1: all).")
  long tail = -1;

  @Option(names = {"-p", "--previous"}, description = "The previous, terminated instance of the container.")
  boolean previous;

  @Option(names = "--timestamps", description = "Prefix each line with its time.")
  boolean timestamps;

  @Option(names = "--since", paramLabel = "DURATION", description = "Only lines newer than this, e.g. 5m.")
  String since;

  public LogsCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    String name = podName(pod);
    PodLogRequest.Builder request = PodLogRequest.newBuilder()
        .setNamespace(ctx.namespace()).setName(name).setContainer(container)
        .setFollow(follow).setPrevious(previous).setTimestamps(timestamps);
    if (tail >= 0) {
      request.setTailLines(tail);
    }
    if (since != null) {
      request.setSinceSeconds(Durations.parse(since, "--since").toSeconds());
    }
    try {
      Iterator<PodLogChunk> chunks = PodsGrpc.newBlockingStub(ctx.client().channel()).getLogs(request.build());
      while (chunks.hasNext()) {
        ctx.out().print(chunks.next().getData().toString(StandardCharsets.UTF_8));
        ctx.out().flush();
      }
    } catch (StatusRuntimeException e) {
      throw new dev.skiff.cli.ObjectCallException(Kinds.POD, name, ApiException.from(e));
    }
    return 0;
  }

  /** {@code web-1} or {@code pod/web-1}; other kinds are not followed to a pod (yet). */
  static String podName(String arg) {
    if (!arg.contains("/")) {
      return arg;
    }
    Target t = Resources.targets(List.of(arg)).get(0);
    if (t.kind() != Kinds.POD) {
      throw new CliException("give a pod (NAME or pod/NAME), not " + t.kind().plural());
    }
    return t.name();
  }
}
