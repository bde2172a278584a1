package dev.skiff.cli.commands;

import com.google.protobuf.Message;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.CliException;
import dev.skiff.cli.manifest.Manifest;
import dev.skiff.cli.manifest.ManifestReader;
import dev.skiff.cli.manifest.ManifestSources;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code -f FILE|DIR|-} and {@code -R}, shared by apply, create and delete. */
final class ManifestOptions {
  @Option(names = {"-f", "--filename"}, paramLabel = "FILE",
      description = "Manifest file, directory or - for standard input (repeatable).")
  List<String> files = new ArrayList<>();

  @Option(names = {"-R", "--recursive"}, description = "Read directories given with -f recursively.")
  boolean recursive;

  boolean given() {
    return !files.isEmpty();
  }

  /**
   * Reads every manifest and gives each namespaced object the namespace it will live in (its own,
   * else {@code -n}, else the config's); an object whose namespace contradicts an explicit
   * {@code -n} is an error, as in kubectl.
   */
  List<Manifest> read(CliContext ctx) {
    List<Manifest> out = new ArrayList<>();
    for (Manifest m : ManifestReader.read(new ManifestSources(ctx.env().workingDir(), ctx.env().stdin())
        .read(files, recursive))) {
      ObjectMeta meta = m.meta();
      if (meta.getName().isEmpty()) {
        throw new CliException(m.describe() + ": metadata.name is required");
      }
      if (!m.kind().namespaced()) {
        out.add(m);
        continue;
      }
      String ns = meta.getNamespace();
      if (ns.isEmpty()) {
        ns = ctx.namespace();
      } else if (ctx.namespaceGiven() && !ns.equals(ctx.namespace())) {
        throw new CliException("the namespace from the provided object \"" + ns
            + "\" does not match the namespace \"" + ctx.namespace()
            + "\". You must pass '--namespace=" + ns + "' to perform this operation.");
      }
      Message object = Resources.raw(m.kind()).withMeta(m.object(), meta.toBuilder().setNamespace(ns).build());
      out.add(new Manifest(m.source(), m.index(), m.kind(), object));
    }
    if (out.isEmpty()) {
      throw new CliException("no objects passed to apply");
    }
    return out;
  }
}
