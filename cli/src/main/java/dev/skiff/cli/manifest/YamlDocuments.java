package dev.skiff.cli.manifest;

import java.util.ArrayList;
import java.util.List;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Splits a source into its YAML documents as node trees (scalars keep their original text and
 * their resolved tag, so conversion can tell {@code 80} from {@code "80"}). Empty documents
 * (a trailing {@code ---}, a comment-only document) are skipped but still counted.
 */
public final class YamlDocuments {
  private YamlDocuments() {}

  public static List<YamlDocument> parse(ManifestSource source) {
    LoadSettings settings = LoadSettings.builder().setLabel(source.name()).build();
    List<YamlDocument> out = new ArrayList<>();
    int index = 0;
    try {
      for (Node node : new Compose(settings).composeAllFromString(source.text())) {
        index++;
        if (node == null || isNull(node)) {
          continue;
        }
        out.add(new YamlDocument(source.name(), index, node));
      }
    } catch (MarkedYamlEngineException e) {
      throw new ManifestException(
          source.name() + " (document " + (index + 1) + "): invalid YAML at "
              + position(e.getProblemMark().orElse(null)) + ": " + e.getProblem());
    } catch (YamlEngineException e) {
      throw new ManifestException(source.name() + ": invalid YAML: " + e.getMessage());
    }
    return out;
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode s && (s.getTag().equals(Tag.NULL) || s.getValue().isEmpty());
  }

  static String position(Mark mark) {
    return mark == null ? "unknown position" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }
}
