package dev.skiff.cli.manifest;

import org.snakeyaml.engine.v2.nodes.Node;

/** One YAML document of a manifest source; {@code index} counts from 1 in the source. */
public record YamlDocument(String source, int index, Node root) {
  /** "web.yaml (document 2)" — how errors name this document. */
  public String describe() {
    return source + " (document " + index + ")";
  }
}
