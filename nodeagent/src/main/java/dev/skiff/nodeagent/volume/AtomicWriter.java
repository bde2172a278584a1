package dev.skiff.nodeagent.volume;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a set of files into a volume directory atomically, as kubelet's AtomicWriter: the payload
 * goes to a fresh hidden directory {@code ..<stamp>}, the symlink {@code ..data} is swapped to it
 * with a rename (atomic), and each top-level name in the volume is a symlink through {@code
 * ..data}. A reader sees the old set or the new set, never a mix. Unchanged payloads write nothing.
 *
 * <p>Not thread-safe per directory: the pod's worker is its only writer.
 */
public final class AtomicWriter {
  static final String DATA = "..data";
  private static final AtomicLong STAMPS = new AtomicLong();

  private AtomicWriter() {}

  /**
   * Makes {@code dir} hold exactly {@code files} (relative path → content).
   *
   * @return true when something was written
   */
  public static boolean write(Path dir, Map<String, byte[]> files, int mode) throws IOException {
    Files.createDirectories(dir);
    Path data = dir.resolve(DATA);
    if (Files.exists(data) && sameContent(data, files)) {
      return false;
    }
    String stamp = ".." + System.currentTimeMillis() + "_" + STAMPS.incrementAndGet();
    Path fresh = dir.resolve(stamp);
    Files.createDirectory(fresh);
    Set<PosixFilePermission> perms = permissions(mode);
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path f = fresh.resolve(e.getKey()).normalize();
      if (!f.startsWith(fresh)) {
        throw new IOException("volume file path escapes the volume: " + e.getKey());
      }
      Files.createDirectories(f.getParent());
      Files.write(f, e.getValue());
      Files.setPosixFilePermissions(f, perms);
    }
    Path old = Files.isSymbolicLink(data) ? dir.resolve(Files.readSymbolicLink(data)) : null;
    Path tmpLink = dir.resolve("..data_tmp");
    Files.deleteIfExists(tmpLink);
    Files.createSymbolicLink(tmpLink, Path.of(stamp));
    Files.move(tmpLink, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Set<String> top = new HashSet<>();
    for (String rel : files.keySet()) {
      top.add(Path.of(rel).getName(0).toString());
    }
    for (String name : top) {
      Path link = dir.resolve(name);
      if (!Files.isSymbolicLink(link)) {
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(DATA).resolve(name));
      }
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!name.startsWith("..") && !top.contains(name) && Files.isSymbolicLink(p)) {
          Files.delete(p);
        }
      }
    }
    if (old != null && !old.getFileName().toString().equals(stamp)) {
      deleteTree(old);
    }
    return true;
  }

  private static boolean sameContent(Path data, Map<String, byte[]> files) throws IOException {
    Set<String> present = new HashSet<>();
    try (var walk = Files.walk(data.toRealPath())) {
      Path root = data.toRealPath();
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          present.add(root.relativize(p).toString());
        }
      }
    }
    if (!present.equals(files.keySet())) {
      return false;
    }
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      if (!Arrays.equals(Files.readAllBytes(data.resolve(e.getKey())), e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    StringBuilder s = new StringBuilder();
    String rwx = "rwx";
    for (int i = 8; i >= 0; i--) {
      s.append((mode & (1 << i)) != 0 ? rwx.charAt(2 - i % 3) : '-');
    }
    return PosixFilePermissions.fromString(s.toString());
  }

  /** Deletes a directory tree (not following symlinks). */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
        for (Path p : entries) {
          deleteTree(p);
        }
      }
    }
    Files.deleteIfExists(root);
  }
}
