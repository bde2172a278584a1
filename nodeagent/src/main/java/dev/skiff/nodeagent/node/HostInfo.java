package dev.skiff.nodeagent.node;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Facts about this machine read from /proc, /etc and the filesystem: memory, disk and PID use for
 * capacity and pressure conditions, and the node info. Every read degrades to empty on a machine
 * that lacks the file. Stateless.
 */
public final class HostInfo {
  private HostInfo() {}

  /** A field of /proc/meminfo in bytes (e.g. MemTotal, MemAvailable). */
  public static Optional<Long> meminfo(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith(field + ":")) {
          String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
          long v = Long.parseLong(parts[0]);
          return Optional.of(parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? v * 1024 : v);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** Total and usable bytes of the filesystem holding {@code path} (statvfs). */
  public static Optional<long[]> disk(Path path) {
    try {
      Path p = path;
      while (p != null && !Files.exists(p)) {
        p = p.getParent();
      }
      if (p == null) {
        return Optional.empty();
      }
      FileStore store = Files.getFileStore(p);
      return Optional.of(new long[] {store.getTotalSpace(), store.getUsableSpace()});
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public static String read(String file) {
    try {
      return Files.readString(Path.of(file)).trim();
    } catch (IOException e) {
      return "";
    }
  }

  /** PRETTY_NAME of /etc/os-release. */
  public static String osImage() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring(12).replace("\"", "");
        }
      }
    } catch (IOException e) {
      return "Linux";
    }
    return "Linux";
  }

  /** Kubernetes' architecture name of the JVM's os.arch. */
  public static String arch() {
    String a = System.getProperty("os.arch", "amd64");
    return switch (a) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> a;
    };
  }
}
