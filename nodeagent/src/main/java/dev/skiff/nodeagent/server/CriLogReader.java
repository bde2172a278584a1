package dev.skiff.nodeagent.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Parses the CRI log format, one record per line: {@code <RFC3339Nano> <stdout|stderr> <F|P> <text>}
 * (F = the line is complete, P = partial: the next record continues it). Pure.
 */
public final class CriLogReader {
  /** One record. */
  public record Entry(Instant time, String timestamp, String stream, boolean partial, String text) {
    /** The line as a user sees it: text plus a newline unless partial, with the timestamp if asked. */
    public byte[] render(boolean timestamps, boolean atLineStart) {
      String s = (timestamps && atLineStart ? timestamp + " " : "") + text + (partial ? "" : "\n");
      return s.getBytes(StandardCharsets.UTF_8);
    }
  }

  private CriLogReader() {}

  public static Optional<Entry> parse(String line) {
    int a = line.indexOf(' ');
    if (a < 0) {
      return Optional.empty();
    }
    int b = line.indexOf(' ', a + 1);
    if (b < 0) {
      return Optional.empty();
    }
    int c = line.indexOf(' ', b + 1);
    String tag = c < 0 ? line.substring(b + 1) : line.substring(b + 1, c);
    String text = c < 0 ? "" : line.substring(c + 1);
    String ts = line.substring(0, a);
    Instant time;
    try {
      time = Instant.parse(ts);
    } catch (DateTimeParseException e) {
      try {
        time = java.time.OffsetDateTime.parse(ts).toInstant();
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
    return Optional.of(new Entry(time, ts, line.substring(a + 1, b), tag.startsWith("P"), text));
  }
}
