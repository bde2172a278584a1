package dev.skiff.cli.commands;

import com.google.protobuf.Message;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.CliException;
import dev.skiff.cli.ErrorReporter;
import dev.skiff.cli.ObjectCallException;
import dev.skiff.cli.commands.Resources.Target;
import dev.skiff.cli.manifest.Manifest;
import dev.skiff.cli.output.ObjectNames;
import dev.skiff.client.api.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skiff delete}: by TYPE NAME, TYPE/NAME, {@code -f} or {@code -l}. */
@Command(name = "delete", description = "Delete resources.", mixinStandardHelpOptions = true)
public final class DeleteCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  private final CliContext ctx;

  @Parameters(arity = "0..*", paramLabel = "TYPE [NAME...] | TYPE/NAME...")
  List<String> args = new ArrayList<>();

  @Mixin ManifestOptions manifests;

  @Option(names = {"-l", "--selector"}, description = "Delete every object of TYPE matching this label selector.")
  String selector = "";

  @Option(names = "--all", description = "Delete every object of TYPE in the namespace.")
  boolean all;

  @Option(names = "--grace-period", paramLabel = "SECONDS",
      description = "Seconds the pods get to stop; -1 (default) uses each pod's own.")
  long gracePeriod = -1;

  @Option(names = "--cascade", paramLabel = "background|foreground|orphan",
      description = "How dependents are deleted (default: background).")
  String cascade = "background";

  @Option(names = "--ignore-not-found", description = "Treat \"not found\" as success.")
  boolean ignoreNotFound;

  /** One object to delete, in the namespace it lives in ("" for cluster-scoped kinds). */
  private record Victim(ResourceKind<?, ?> kind, String namespace, String name) {}

  public DeleteCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    String propagation = propagation(cascade);
    List<Victim> victims = victims();
    int failures = 0;
    ErrorReporter reporter = new ErrorReporter(ctx::servers);
    for (Victim t : victims) {
      DeleteRequest.Builder request = DeleteRequest.newBuilder()
          .setNamespace(t.namespace()).setName(t.name()).setPropagationPolicy(propagation);
      if (gracePeriod >= 0) {
        request.setGracePeriodSeconds(gracePeriod);
      }
      try {
        Resources.about(t.kind(), t.name(), () -> Resources.client(ctx, t.kind()).delete(request.build()));
        ctx.out().println(ObjectNames.resource(t.kind().kind(), t.kind().apiVersion()) + " \"" + t.name() + "\" deleted");
      } catch (ObjectCallException e) {
        if (e.api().isNotFound() && ignoreNotFound) {
          continue;
        }
        if (ApplyCommand.fatal(e)) {
          throw e;
        }
        failures++;
        reporter.lines(e).forEach(ctx.err()::println);
      }
    }
    return failures == 0 ? 0 : 1;
  }

  private List<Victim> victims() {
    if (manifests.given()) {
      if (!args.isEmpty()) {
        throw new CliException("give either -f or resource arguments, not both");
      }
      List<Victim> out = new ArrayList<>();
      for (Manifest m : manifests.read(ctx)) {
        // read() gave namespaced objects their namespace: the manifest's own, else -n / the config's
        out.add(new Victim(m.kind(), m.meta().getNamespace(), m.meta().getName()));
      }
      return out;
    }
    List<Target> given = Resources.targets(args);
    List<Victim> out = new ArrayList<>();
    for (Target t : given) {
      if (t.name() != null) {
        if (!selector.isEmpty() || all) {
          throw new CliException("names cannot be combined with --selector or --all");
        }
        out.add(new Victim(t.kind(), Resources.namespace(ctx, t.kind()), t.name()));
        continue;
      }
      if (selector.isEmpty() && !all) {
        throw new CliException("resource(s) were provided, but no name was specified;"
            + " give names, --selector or --all");
      }
      out.addAll(matching(t.kind()));
    }
    if (out.isEmpty()) {
      ctx.err().println("No resources found");
    }
    return out;
  }

  private List<Victim> matching(ResourceKind<?, ?> kind) {
    String ns = Resources.namespace(ctx, kind);
    Message list = Resources.client(ctx, kind).list(ListRequest.newBuilder()
        .setNamespace(ns).setLabelSelector(selector).build());
    return Resources.items(kind, list).stream()
        .map(o -> new Victim(kind, ns, Resources.meta(kind, o).getName())).toList();
  }

  static String propagation(String cascade) {
    return switch (cascade.toLowerCase(Locale.ROOT)) {
      case "background", "true" -> "Background";
      case "foreground" -> "Foreground";
      case "orphan", "false" -> "Orphan";
      default -> throw new CliException(
          "invalid cascade value \"" + cascade + "\": must be background, foreground or orphan");
    };
  }
}
