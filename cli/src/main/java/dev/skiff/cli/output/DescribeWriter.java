package dev.skiff.cli.output;

import java.util.Map;
import java.util.TreeMap;

/**
 * kubectl describe's layout: {@code Key:  value} lines, values aligned per section, nested
 * sections indented by two spaces, maps printed one entry per line under their key.
 */
public final class DescribeWriter {
  private final StringBuilder out = new StringBuilder();
  private final int indent;

  public DescribeWriter() {
    this(0);
  }

  private DescribeWriter(int indent) {
    this.indent = indent;
  }

  public DescribeWriter line(String key, Object value) {
    String prefix = " ".repeat(indent) + key + ":";
    out.append(pad(prefix)).append(value).append('\n');
    return this;
  }

  /** A heading with nothing after it ("Containers:"). */
  public DescribeWriter heading(String key) {
    out.append(" ".repeat(indent)).append(key).append(":\n");
    return this;
  }

  public DescribeWriter raw(String text) {
    for (String l : text.split("\n", -1)) {
      if (!l.isEmpty()) {
        out.append(" ".repeat(indent)).append(l).append('\n');
      }
    }
    return this;
  }

  /** {@code Labels:  a=1} then further entries aligned under the first; {@code <none>} if empty. */
  public DescribeWriter map(String key, Map<String, String> values, String separator) {
    if (values.isEmpty()) {
      return line(key, Cells.NONE);
    }
    String prefix = pad(" ".repeat(indent) + key + ":");
    boolean first = true;
    for (var e : new TreeMap<>(values).entrySet()) {
      out.append(first ? prefix : " ".repeat(prefix.length()))
          .append(e.getKey()).append(separator).append(e.getValue()).append('\n');
      first = false;
    }
    return this;
  }

  /** A nested writer whose text is appended by {@link #nested(DescribeWriter)}. */
  public DescribeWriter child() {
    return new DescribeWriter(indent + 2);
  }

  public DescribeWriter nested(DescribeWriter child) {
    out.append(child.out);
    return this;
  }

  private static String pad(String prefix) {
    int width = Math.max(prefix.length() + 2, 20);
    return prefix + " ".repeat(width - prefix.length());
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
