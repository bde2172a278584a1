package dev.skiff.cli.output;

import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.LabelSelector;
import dev.skiff.api.v1.LabelSelectorRequirement;
import dev.skiff.api.v1.ObjectMeta;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Cell helpers shared by the per-kind columns, with kubectl's spellings of empty values. */
public final class Cells {
  public static final String NONE = "<none>";
  public static final String UNKNOWN = "<unknown>";

  private Cells() {}

  /** Time since {@code ts}, or {@code <unknown>} when unset. */
  public static String age(Timestamp ts, Instant now) {
    if (ts == null || (ts.getSeconds() == 0 && ts.getNanos() == 0)) {
      return UNKNOWN;
    }
    return HumanDuration.format(Duration.between(toInstant(ts), now));
  }

  public static String age(ObjectMeta meta, Instant now) {
    return meta.hasCreationTimestamp() ? age(meta.getCreationTimestamp(), now) : UNKNOWN;
  }

  public static Instant toInstant(Timestamp ts) {
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }

  public static String orNone(String s) {
    return s == null || s.isEmpty() ? NONE : s;
  }

  public static String joinOrNone(Collection<String> values) {
    return values.isEmpty() ? NONE : String.join(",", values);
  }

  /** {@code a=1,b=2} in key order, {@code <none>} when empty. */
  public static String labels(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return NONE;
    }
    return new TreeMap<>(labels)
        .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  /** A label selector as a string, like kubectl's SELECTOR column. */
  public static String selector(LabelSelector selector) {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(selector.getMatchLabelsMap())
        .forEach((k, v) -> append(out, k + "=" + v));
    for (LabelSelectorRequirement r : selector.getMatchExpressionsList()) {
      String values = String.join(",", r.getValuesList());
      switch (r.getOperator()) {
        case "In" -> append(out, r.getKey() + " in (" + values + ")");
        case "NotIn" -> append(out, r.getKey() + " notin (" + values + ")");
        case "Exists" -> append(out, r.getKey());
        case "DoesNotExist" -> append(out, "!" + r.getKey());
        default -> append(out, r.getKey() + " " + r.getOperator() + " (" + values + ")");
      }
    }
    return out.isEmpty() ? NONE : out.toString();
  }

  private static void append(StringBuilder out, String s) {
    if (!out.isEmpty()) {
      out.append(',');
    }
    out.append(s);
  }
}
