package dev.skiff.cli.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Resolves {@code -f} arguments like kubectl: a file, a directory (its {@code .yaml}, {@code .yml}
 * and {@code .json} files in name order; sub-directories too when recursive) or {@code -} for
 * standard input.
 */
public final class ManifestSources {
  private final Path workingDir;
  private final InputStream stdin;

  public ManifestSources(Path workingDir, InputStream stdin) {
    this.workingDir = workingDir;
    this.stdin = stdin;
  }

  public List<ManifestSource> read(List<String> arguments, boolean recursive) {
    List<ManifestSource> out = new ArrayList<>();
    for (String argument : arguments) {
      if (argument.equals("-")) {
        out.add(new ManifestSource("-", readStdin()));
        continue;
      }
      Path path = workingDir.resolve(argument);
      if (Files.isDirectory(path)) {
        List<Path> files = manifestFiles(path, recursive);
        if (files.isEmpty()) {
          throw new ManifestException("no manifest files (.yaml, .yml, .json) in directory " + argument);
        }
        for (Path file : files) {
          out.add(new ManifestSource(display(argument, path, file), readFile(file)));
        }
      } else if (Files.isRegularFile(path)) {
        out.add(new ManifestSource(argument, readFile(path)));
      } else {
        throw new ManifestException("the path \"" + argument + "\" does not exist");
      }
    }
    return out;
  }

  private static List<Path> manifestFiles(Path dir, boolean recursive) {
    try (Stream<Path> walk = recursive ? Files.walk(dir) : Files.list(dir)) {
      return walk.filter(Files::isRegularFile).filter(ManifestSources::isManifest).sorted().toList();
    } catch (IOException e) {
      throw new ManifestException("cannot read directory " + dir + ": " + e.getMessage());
    }
  }

  private static boolean isManifest(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
  }

  private static String display(String argument, Path dir, Path file) {
    String rel = dir.relativize(file).toString();
    return argument.endsWith("/") ? argument + rel : argument + "/" + rel;
  }

  private static String readFile(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ManifestException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private String readStdin() {
    try {
      return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ManifestException("cannot read standard input: " + e.getMessage());
    }
  }
}
