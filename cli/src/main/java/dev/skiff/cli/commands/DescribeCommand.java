package dev.skiff.cli.commands;

import com.google.protobuf.Message;
import dev.skiff.api.v1.Event;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.GlobalOptions;
import dev.skiff.cli.CliException;
import dev.skiff.cli.commands.Resources.Target;
import dev.skiff.cli.output.Cells;
import dev.skiff.cli.output.DescribeWriter;
import dev.skiff.cli.output.Describers;
import dev.skiff.cli.output.Table;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.api.ResourceKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code skiff describe}: an object's fields in kubectl's layout, then its Events. */
@Command(name = "describe", description = "Show details of resources, with their events.",
    mixinStandardHelpOptions = true)
public final class DescribeCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  private final CliContext ctx;

  @Parameters(arity = "1..*", paramLabel = "TYPE [NAME...] | TYPE/NAME...")
  List<String> args = new ArrayList<>();

  @Option(names = {"-l", "--selector"}, description = "Describe every object matching this label selector.")
  String selector = "";

  public DescribeCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    List<String> sections = new ArrayList<>();
    for (Target t : Resources.targets(args)) {
      String ns = Resources.namespace(ctx, t.kind());
      if (t.name() != null) {
        Message o = Resources.about(t.kind(), t.name(), () -> Resources.client(ctx, t.kind()).get(ns, t.name()));
        sections.add(describe(t.kind(), o));
        continue;
      }
      Message list = Resources.client(ctx, t.kind())
          .list(ListRequest.newBuilder().setNamespace(ns).setLabelSelector(selector).build());
      for (Message o : Resources.items(t.kind(), list)) {
        sections.add(describe(t.kind(), o));
      }
    }
    if (sections.isEmpty()) {
      throw new CliException("No resources found in " + ctx.namespace() + " namespace.");
    }
    ctx.out().print(String.join("\n\n", sections.stream().map(String::stripTrailing).toList()) + "\n");
    return 0;
  }

  private String describe(ResourceKind<?, ?> kind, Message object) {
    Instant now = ctx.clock().instant();
    ObjectMeta meta = Resources.meta(kind, object);
    String body = Describers.describe(kind.kind(), object, now);
    DescribeWriter events = new DescribeWriter();
    List<Event> related = events(kind, meta);
    if (related.isEmpty()) {
      events.line("Events", Cells.NONE);
    } else {
      events.heading("Events");
      Table table = Table.asWritten("Type", "Reason", "Age", "From", "Message");
      table.addRow("----", "------", "----", "----", "-------");
      for (Event e : related) {
        var last = e.hasLastTimestamp() ? e.getLastTimestamp()
            : e.hasEventTime() ? e.getEventTime() : e.getMetadata().getCreationTimestamp();
        String age = Cells.age(last, now);
        if (e.getCount() > 1 && e.hasFirstTimestamp()) {
          age += " (x" + e.getCount() + " over " + Cells.age(e.getFirstTimestamp(), now) + ")";
        }
        String from = e.getSource().getComponent().isEmpty() ? e.getReportingComponent() : e.getSource().getComponent();
        table.addRow(e.getType(), e.getReason(), age, from, e.getMessage());
      }
      events.nested(events.child().raw(table.render(true)));
    }
    return body + events;
  }

  /** Events about this object, oldest first (filtered here: field selectors cover few fields). */
  private List<Event> events(ResourceKind<?, ?> kind, ObjectMeta meta) {
    String ns = kind.namespaced() ? meta.getNamespace() : "";
    List<Event> all = ctx.client().resource(Kinds.EVENT)
        .list(ListRequest.newBuilder().setNamespace(ns).build()).getItemsList();
    return all.stream()
        .filter(e -> e.getInvolvedObject().getKind().equals(kind.kind())
            && e.getInvolvedObject().getName().equals(meta.getName())
            && (e.getInvolvedObject().getUid().isEmpty() || e.getInvolvedObject().getUid().equals(meta.getUid())))
        .sorted(Comparator.comparing(e -> Cells.toInstant(
            e.hasLastTimestamp() ? e.getLastTimestamp() : e.getMetadata().getCreationTimestamp())))
        .toList();
  }
}
