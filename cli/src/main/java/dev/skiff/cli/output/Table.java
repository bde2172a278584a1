package dev.skiff.cli.output;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A text table laid out like kubectl's (Go's tabwriter with minimum width 6 and padding 3):
 * every column but the last is padded to its widest cell plus three spaces, the last column is
 * not padded, and headers are upper case.
 */
public final class Table {
  private static final int PADDING = 3;
  private static final int MIN_WIDTH = 6;

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(List<String> headers) {
    this(headers, true);
  }

  private Table(List<String> headers, boolean upperCase) {
    this.headers = upperCase ? headers.stream().map(h -> h.toUpperCase(Locale.ROOT)).toList() : List.copyOf(headers);
  }

  public static Table of(String... headers) {
    return new Table(List.of(headers));
  }

  /** A table whose headers are printed as given ({@code describe}'s "Type  Reason  Age"). */
  public static Table asWritten(String... headers) {
    return new Table(List.of(headers), false);
  }

  public List<String> headers() {
    return headers;
  }

  /** Adds a row; it must have one cell per header. */
  public Table addRow(List<String> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.size() + " cells, table has " + headers.size() + " columns");
    }
    rows.add(List.copyOf(cells));
    return this;
  }

  public Table addRow(String... cells) {
    return addRow(List.of(cells));
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  /** The whole table, header first, each line ending with a newline. */
  public String render(boolean withHeaders) {
    int[] widths = widths(withHeaders);
    StringBuilder out = new StringBuilder();
    if (withHeaders) {
      out.append(formatRow(headers, widths));
    }
    for (List<String> row : rows) {
      out.append(formatRow(row, widths));
    }
    return out.toString();
  }

  /** The width of each column (its widest cell plus padding), as {@link #render} lays them out. */
  public int[] widths(boolean withHeaders) {
    int[] widths = new int[headers.size()];
    List<List<String>> lines = new ArrayList<>(rows);
    if (withHeaders) {
      lines.add(headers);
    }
    for (List<String> line : lines) {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], Math.max(line.get(i).length() + PADDING, MIN_WIDTH));
      }
    }
    return widths;
  }

  /**
   * One line laid out on given widths (a cell wider than its column pushes the rest right), for
   * rows printed after the table, as {@code get -w} does.
   */
  public static String formatRow(List<String> cells, int[] widths) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      out.append(cell);
      if (i < cells.size() - 1) {
        int width = i < widths.length ? widths[i] : cell.length() + PADDING;
        out.append(" ".repeat(Math.max(PADDING, width - cell.length())));
      }
    }
    return out.append('\n').toString();
  }
}
