package dev.skiff.cri;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * One line of a CRI container log file, as containerd writes it:
 * {@code <RFC3339Nano time> <stdout|stderr> <F|P> <content>}. {@code P} marks a partial line (a
 * long line split by the runtime): join it with the following lines up to the next {@code F}.
 *
 * @param time when the runtime read the output
 * @param stream {@code stdout} or {@code stderr}
 * @param partial true for a {@code P} fragment
 * @param content the text, without the newline
 */
public record CriLogLine(Instant time, String stream, boolean partial, String content) {
  public CriLogLine {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(content, "content");
  }

  /**
   * Parses one line (with or without its trailing newline).
   *
   * @throws IllegalArgumentException when the line is not in the CRI log format
   */
  public static CriLogLine parse(String line) {
    String s = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
    int a = s.indexOf(' ');
    int b = a < 0 ? -1 : s.indexOf(' ', a + 1);
    if (a < 0 || b < 0) {
      throw new IllegalArgumentException("not a CRI log line (time stream tag content): " + abbreviate(s));
    }
    int c = s.indexOf(' ', b + 1);
    String tags = c < 0 ? s.substring(b + 1) : s.substring(b + 1, c);
    String content = c < 0 ? "" : s.substring(c + 1);
    Instant time;
    try {
      time = Instant.parse(s.substring(0, a));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("CRI log line with a bad time: " + abbreviate(s), e);
    }
    String stream = s.substring(a + 1, b);
    if (!stream.equals("stdout") && !stream.equals("stderr")) {
      throw new IllegalArgumentException("CRI log line with an unknown stream '" + stream + "': " + abbreviate(s));
    }
    boolean partial = tags.equals("P") || tags.startsWith("P:");
    if (!partial && !tags.equals("F") && !tags.startsWith("F:")) {
      throw new IllegalArgumentException("CRI log line with an unknown tag '" + tags + "': " + abbreviate(s));
    }
    return new CriLogLine(time, stream, partial, content);
  }

  /** The line in the CRI format, with its newline. */
  public String format() {
    return time + " " + stream + " " + (partial ? "P" : "F") + " " + content + "\n";
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
