package dev.skiff.cli.commands;

import com.google.protobuf.Message;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.WatchEventType;
import dev.skiff.api.v1.WatchRequest;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.CliException;
import dev.skiff.cli.ErrorReporter;
import dev.skiff.cli.ObjectCallException;
import dev.skiff.cli.commands.Resources.Target;
import dev.skiff.cli.output.ObjectFormats;
import dev.skiff.cli.output.ObjectNames;
import dev.skiff.cli.output.Table;
import dev.skiff.cli.output.TablePrinter;
import dev.skiff.client.ApiException;
import dev.skiff.client.Watch;
import dev.skiff.client.WatchListener;
import dev.skiff.client.api.ResourceKind;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skiff get}: kubectl-style tables, {@code -o wide|yaml|json|name}, {@code -w}. */
@Command(name = "get", description = "Display one or many resources.", mixinStandardHelpOptions = true)
public final class GetCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  private final CliContext ctx;

  @Parameters(arity = "1..*", paramLabel = "TYPE[,TYPE] [NAME...] | TYPE/NAME...",
      description = "What to show: pods, deploy, svc/web, ...")
  List<String> args = new ArrayList<>();

  @Option(names = {"-o", "--output"}, description = "wide, yaml, json or name.")
  String output = "";

  @Option(names = {"-l", "--selector"}, description = "Label selector, e.g. app=web,tier!=db.")
  String selector = "";

  @Option(names = "--field-selector", description = "Field selector, e.g. spec.nodeName=n1.")
  String fieldSelector = "";

  @Option(names = {"-A", "--all-namespaces"}, description = "List across all namespaces.")
  boolean allNamespaces;

  @Option(names = {"-w", "--watch"}, description = "After listing, watch for changes.")
  boolean watch;

  @Option(names = "--watch-timeout", paramLabel = "SECONDS",
      description = "Stop watching after this many seconds (default: until interrupted).")
  long watchTimeoutSeconds;

  @Option(names = "--no-headers", description = "Print tables without the header line.")
  boolean noHeaders;

  public GetCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    OutputFormat format = OutputFormat.parse(output);
    List<Target> targets = Resources.targets(args);
    Map<ResourceKind<?, ?>, List<Message>> found = new LinkedHashMap<>();
    List<String> notFound = new ArrayList<>();
    String lastResourceVersion = "";
    boolean namesGiven = targets.get(0).name() != null;
    for (Target t : targets) {
      List<Message> objects = found.computeIfAbsent(t.kind(), k -> new ArrayList<>());
      if (t.name() != null) {
        try {
          objects.add(Resources.about(t.kind(), t.name(),
              () -> Resources.client(ctx, t.kind()).get(Resources.namespace(ctx, t.kind()), t.name())));
        } catch (ObjectCallException e) {
          if (!e.api().isNotFound()) {
            throw e;
          }
          notFound.add("error: " + ErrorReporter.resourceName(t.kind()) + " \"" + t.name() + "\" not found");
        }
      } else {
        Message list = Resources.client(ctx, t.kind()).list(listRequest(t.kind()));
        objects.addAll(Resources.items(t.kind(), list));
        lastResourceVersion = Resources.raw(t.kind()).listMeta(list).getResourceVersion();
      }
    }
    found.replaceAll((k, v) -> v.stream().map(o -> Resources.withTypeMeta(k, o)).toList());
    int[] widths = print(format, found);
    boolean any = found.values().stream().anyMatch(l -> !l.isEmpty());
    if (!any && !namesGiven && !watch) {
      ctx.err().println(allNamespaces || !targets.get(0).kind().namespaced()
          ? "No resources found"
          : "No resources found in " + ctx.namespace() + " namespace.");
    }
    notFound.forEach(ctx.err()::println);
    ctx.out().flush();
    if (watch) {
      if (found.size() != 1) {
        throw new CliException("you may only watch one resource type at a time");
      }
      watch(targets, format, widths, lastResourceVersion, any);
    }
    return notFound.isEmpty() ? 0 : 1;
  }

  private ListRequest listRequest(ResourceKind<?, ?> kind) {
    return ListRequest.newBuilder()
        .setNamespace(allNamespaces ? "" : Resources.namespace(ctx, kind))
        .setLabelSelector(selector)
        .setFieldSelector(fieldSelector)
        .build();
  }

  /** Prints everything found; returns the table's column widths (for rows printed by -w). */
  private int[] print(OutputFormat format, Map<ResourceKind<?, ?>, List<Message>> found) {
    PrintWriter out = ctx.out();
    List<Message> all = found.values().stream().flatMap(List::stream).toList();
    switch (format) {
      case YAML -> {
        if (!all.isEmpty()) {
          out.print(all.size() == 1 && isSingleName() ? ObjectFormats.yaml(all.get(0)) : ObjectFormats.yamlList(all));
        }
        return new int[0];
      }
      case JSON -> {
        if (!all.isEmpty()) {
          out.println(all.size() == 1 && isSingleName() ? ObjectFormats.json(all.get(0)) : ObjectFormats.jsonList(all));
        }
        return new int[0];
      }
      case NAME -> {
        found.forEach((kind, objects) -> objects.forEach(o -> out.println(qualifiedName(kind, o))));
        return new int[0];
      }
      default -> {
        boolean prefix = found.size() > 1;
        int[] widths = new int[0];
        boolean first = true;
        for (var entry : found.entrySet()) {
          if (entry.getValue().isEmpty()) {
            continue;
          }
          if (!first) {
            out.println();
          }
          first = false;
          widths = printTable(entry.getKey(), entry.getValue(), format, prefix);
        }
        return widths;
      }
    }
  }

  private boolean isSingleName() {
    return args.size() == 2 && !args.get(0).contains("/") || args.size() == 1 && args.get(0).contains("/");
  }

  private int[] printTable(ResourceKind<?, ?> kind, List<Message> objects, OutputFormat format, boolean prefix) {
    TablePrinter printer = printer(kind, format);
    Table table = printer.newTable();
    for (Message o : objects) {
      table.addRow(row(printer, kind, o, prefix));
    }
    ctx.out().print(table.render(!noHeaders));
    return table.widths(!noHeaders);
  }

  private TablePrinter printer(ResourceKind<?, ?> kind, OutputFormat format) {
    return new TablePrinter(kind.kind(), format == OutputFormat.WIDE, allNamespaces && kind.namespaced());
  }

  private List<String> row(TablePrinter printer, ResourceKind<?, ?> kind, Message o, boolean prefix) {
    List<String> row = new ArrayList<>(printer.row(o, ctx.clock().instant()));
    if (prefix) {
      int nameColumn = allNamespaces && kind.namespaced() ? 1 : 0;
      row.set(nameColumn, ObjectNames.resource(kind.kind(), kind.apiVersion()) + "/" + row.get(nameColumn));
    }
    return row;
  }

  private static String qualifiedName(ResourceKind<?, ?> kind, Message o) {
    return ObjectNames.qualified(kind.kind(), kind.apiVersion(), Resources.meta(kind, o).getName());
  }

  private void watch(List<Target> targets, OutputFormat format, int[] initialWidths, String fromVersion,
      boolean headerPrinted) {
    ResourceKind<?, ?> kind = targets.get(0).kind();
    TablePrinter printer = printer(kind, format);
    int[] widths = initialWidths.length > 0 ? initialWidths : printer.newTable().widths(true);
    if (format.isTable() && !headerPrinted && !noHeaders) {
      ctx.out().print(Table.formatRow(printer.newTable().headers(), widths));
      ctx.out().flush();
    }
    String fields = fieldSelector;
    if (targets.size() == 1 && targets.get(0).name() != null) {
      String byName = "metadata.name=" + targets.get(0).name();
      fields = fields.isEmpty() ? byName : fields + "," + byName;
    }
    WatchRequest request = WatchRequest.newBuilder()
        .setNamespace(allNamespaces ? "" : Resources.namespace(ctx, kind))
        .setLabelSelector(selector)
        .setFieldSelector(fields)
        .setResourceVersion(fromVersion)
        .build();
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<ApiException> failure = new AtomicReference<>();
    Watch w = Resources.client(ctx, kind).watch(request, new WatchListener<>() {
      @Override
      public void onEvent(WatchEventType type, Message object) {
        if (type == WatchEventType.BOOKMARK) {
          return;
        }
        Message typed = Resources.withTypeMeta(kind, object);
        String text = switch (format) {
          case YAML -> "---\n" + ObjectFormats.yaml(typed);
          case JSON -> ObjectFormats.json(typed) + "\n";
          case NAME -> qualifiedName(kind, typed) + "\n";
          default -> Table.formatRow(row(printer, kind, typed, false), widths);
        };
        synchronized (ctx.out()) {
          ctx.out().print(text);
          ctx.out().flush();
        }
      }

      @Override
      public void onError(Throwable t) {
        failure.set(ApiException.from(t));
        done.countDown();
      }

      @Override
      public void onClosed() {
        done.countDown();
      }
    });
    try {
      if (watchTimeoutSeconds > 0) {
        done.await(Duration.ofSeconds(watchTimeoutSeconds).toMillis(), TimeUnit.MILLISECONDS);
      } else {
        done.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // interrupted = stop watching, like Ctrl-C
    } finally {
      w.close();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }
}
