package dev.skiff.cli.output;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.skiff.api.v1.ObjectMeta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders objects of one kind as a kubectl-style table: the kind's own columns, {@code -o wide}
 * extra columns, and a leading NAMESPACE column for {@code -A}.
 */
public final class TablePrinter {
  private static final Map<String, Columns<?>> BY_KIND = Map.of(
      "Pod", new PodColumns(),
      "Deployment", new WorkloadColumns.Deployments(),
      "ReplicaSet", new WorkloadColumns.ReplicaSets(),
      "Node", new NodeColumns(),
      "Service", new ServiceColumns(),
      "Namespace", SimpleColumns.namespaces(),
      "ConfigMap", SimpleColumns.configMaps(),
      "Secret", SimpleColumns.secrets(),
      "Endpoints", SimpleColumns.endpoints(),
      "Event", SimpleColumns.events());

  private final Columns<Message> columns;
  private final boolean wide;
  private final boolean withNamespace;

  @SuppressWarnings("unchecked")
  public TablePrinter(String kind, boolean wide, boolean withNamespace) {
    Columns<?> known = BY_KIND.get(kind);
    this.columns = known != null
        ? (Columns<Message>) known
        : SimpleColumns.generic(TablePrinter::metadataOf);
    this.wide = wide;
    this.withNamespace = withNamespace;
  }

  public Table newTable() {
    List<String> headers = new ArrayList<>();
    if (withNamespace) {
      headers.add("NAMESPACE");
    }
    headers.addAll(columns.headers());
    if (wide) {
      headers.addAll(columns.wideHeaders());
    }
    return new Table(headers);
  }

  public List<String> row(Message object, Instant now) {
    List<String> row = new ArrayList<>();
    if (withNamespace) {
      row.add(metadataOf(object).getNamespace());
    }
    row.addAll(columns.row(object, now, wide));
    return row;
  }

  public String render(List<? extends Message> objects, Instant now, boolean withHeaders) {
    Table table = newTable();
    for (Message o : objects) {
      table.addRow(row(o, now));
    }
    return table.render(withHeaders);
  }

  /** The {@code metadata} field of any resource message. */
  public static ObjectMeta metadataOf(Message object) {
    FieldDescriptor field = object.getDescriptorForType().findFieldByName("metadata");
    if (field == null) {
      throw new IllegalArgumentException(object.getDescriptorForType().getFullName() + " has no metadata");
    }
    return (ObjectMeta) object.getField(field);
  }
}
