package dev.skiff.cli.output;

import com.google.protobuf.Message;
import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.EndpointAddress;
import dev.skiff.api.v1.EndpointPort;
import dev.skiff.api.v1.EndpointSubset;
import dev.skiff.api.v1.Endpoints;
import dev.skiff.api.v1.Event;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Secret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Tables whose cells are each a plain function of the object: namespaces, config maps, secrets,
 * endpoints, events, and the generic NAME AGE of every other kind.
 */
public final class SimpleColumns<T extends Message> implements Columns<T> {
  private final List<String> headers;
  private final Function<T, ObjectMeta> meta;
  private final List<BiFunction<T, Instant, String>> cells;

  private SimpleColumns(
      List<String> headers, Function<T, ObjectMeta> meta, List<BiFunction<T, Instant, String>> cells) {
    this.headers = headers;
    this.meta = meta;
    this.cells = cells;
  }

  @Override
  public List<String> headers() {
    return headers;
  }

  @Override
  public List<String> wideHeaders() {
    return List.of();
  }

  @Override
  public List<String> row(T object, Instant now, boolean wide) {
    List<String> row = new ArrayList<>();
    row.add(meta.apply(object).getName());
    for (BiFunction<T, Instant, String> cell : cells) {
      row.add(cell.apply(object, now));
    }
    return row;
  }

  /** NAME AGE, for any kind. */
  public static <T extends Message> SimpleColumns<T> generic(Function<T, ObjectMeta> meta) {
    return new SimpleColumns<>(
        List.of("NAME", "AGE"), meta, List.of((o, now) -> Cells.age(meta.apply(o), now)));
  }

  public static SimpleColumns<Namespace> namespaces() {
    return new SimpleColumns<>(List.of("NAME", "STATUS", "AGE"), Namespace::getMetadata, List.of(
        (ns, now) -> ns.getStatus().getPhase().isEmpty() ? "Active" : ns.getStatus().getPhase(),
        (ns, now) -> Cells.age(ns.getMetadata(), now)));
  }

  public static SimpleColumns<ConfigMap> configMaps() {
    return new SimpleColumns<>(List.of("NAME", "DATA", "AGE"), ConfigMap::getMetadata, List.of(
        (cm, now) -> String.valueOf(cm.getDataCount() + cm.getBinaryDataCount()),
        (cm, now) -> Cells.age(cm.getMetadata(), now)));
  }

  public static SimpleColumns<Secret> secrets() {
    return new SimpleColumns<>(List.of("NAME", "TYPE", "DATA", "AGE"), Secret::getMetadata, List.of(
        (s, now) -> s.getType().isEmpty() ? "Opaque" : s.getType(),
        (s, now) -> String.valueOf(s.getDataCount()),
        (s, now) -> Cells.age(s.getMetadata(), now)));
  }

  public static SimpleColumns<Endpoints> endpoints() {
    return new SimpleColumns<>(List.of("NAME", "ENDPOINTS", "AGE"), Endpoints::getMetadata, List.of(
        (e, now) -> endpointList(e),
        (e, now) -> Cells.age(e.getMetadata(), now)));
  }

  /** kubectl's event table, led by LAST SEEN; the object's name goes in the OBJECT column. */
  public static Columns<Event> events() {
    return new Columns<>() {
      @Override
      public List<String> headers() {
        return List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE");
      }

      @Override
      public List<String> wideHeaders() {
        return List.of();
      }

      @Override
      public List<String> row(Event e, Instant now, boolean wide) {
        var last = e.hasLastTimestamp() ? e.getLastTimestamp()
            : e.hasEventTime() ? e.getEventTime() : e.getMetadata().getCreationTimestamp();
        var obj = e.getInvolvedObject();
        return List.of(
            Cells.age(last, now),
            e.getType(),
            e.getReason(),
            obj.getKind().toLowerCase(java.util.Locale.ROOT) + "/" + obj.getName(),
            e.getMessage());
      }
    };
  }

  private static String endpointList(Endpoints e) {
    List<String> out = new ArrayList<>();
    for (EndpointSubset subset : e.getSubsetsList()) {
      for (EndpointAddress a : subset.getAddressesList()) {
        if (subset.getPortsCount() == 0) {
          out.add(a.getIp());
        }
        for (EndpointPort p : subset.getPortsList()) {
          out.add(a.getIp() + ":" + p.getPort());
        }
      }
    }
    if (out.isEmpty()) {
      return Cells.NONE;
    }
    if (out.size() > 3) {
      return String.join(",", out.subList(0, 3)) + " + " + (out.size() - 3) + " more...";
    }
    return String.join(",", out);
  }
}
