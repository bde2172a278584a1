package dev.skiff.cri.sim;

import dev.skiff.cri.CriLogLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/** Writes lines in the CRI log format: {@code <RFC3339Nano> <stream> F <text>}. */
final class CriLogWriter {
  private CriLogWriter() {}

  static void create(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
  }

  static void append(Path file, Instant at, String stream, List<String> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      sb.append(new CriLogLine(at, stream, false, line).format());
    }
    create(file);
    Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }
}
