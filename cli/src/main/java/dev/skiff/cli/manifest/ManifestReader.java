package dev.skiff.cli.manifest;

import com.google.gson.JsonObject;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.api.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Turns manifest sources into typed objects: each YAML document's {@code apiVersion} and
 * {@code kind} pick the {@link ResourceKind}, the document is converted to proto3 JSON along the
 * kind's descriptor ({@link YamlToProtoJson}) and parsed strictly by {@link JsonFormat}. A
 * {@code kind: List} document contributes its {@code items}. The first bad document stops the
 * read with a {@link ManifestException} naming the source, the document and every bad field.
 */
public final class ManifestReader {
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();

  private ManifestReader() {}

  public static List<Manifest> read(List<ManifestSource> sources) {
    List<Manifest> out = new ArrayList<>();
    for (ManifestSource source : sources) {
      for (YamlDocument doc : YamlDocuments.parse(source)) {
        decodeDocument(doc, out);
      }
    }
    return out;
  }

  private static void decodeDocument(YamlDocument doc, List<Manifest> out) {
    if (!(doc.root() instanceof MappingNode root)) {
      throw new ManifestException(doc.describe() + ": expected a mapping with apiVersion and kind");
    }
    String kind = scalar(root, "kind");
    String apiVersion = scalar(root, "apiVersion");
    if (kind.equals("List") && apiVersion.equals("v1")) {
      Node items = value(root, "items");
      if (items instanceof SequenceNode seq) {
        for (Node item : seq.getValue()) {
          out.add(decode(doc, item));
        }
        return;
      }
      if (items == null) {
        return;
      }
      throw new ManifestException(doc.describe() + ": items of a List must be a list");
    }
    out.add(decode(doc, root));
  }

  private static Manifest decode(YamlDocument doc, Node node) {
    if (!(node instanceof MappingNode mapping)) {
      throw new ManifestException(doc.describe() + ": expected a mapping with apiVersion and kind");
    }
    String kind = scalar(mapping, "kind");
    String apiVersion = scalar(mapping, "apiVersion");
    List<String> missing = new ArrayList<>();
    if (apiVersion.isEmpty()) {
      missing.add("apiVersion not set");
    }
    if (kind.isEmpty()) {
      missing.add("kind not set");
    }
    if (!missing.isEmpty()) {
      throw new ManifestException(doc.describe() + ": " + String.join(", ", missing));
    }
    ResourceKind<?, ?> resourceKind = resolve(doc, apiVersion, kind);
    YamlToProtoJson converter = new YamlToProtoJson();
    JsonObject json = converter.convert(mapping, resourceKind.defaultInstance().getDescriptorForType());
    if (!converter.problems().isEmpty()) {
      List<String> details = converter.problems().stream().map(FieldProblem::describe).toList();
      throw new ManifestException(
          doc.describe() + ": " + kind + " " + nameOf(mapping) + " has "
              + (details.size() == 1 ? "an invalid field" : details.size() + " invalid fields") + ":",
          details);
    }
    Message.Builder builder = resourceKind.defaultInstance().newBuilderForType();
    try {
      PARSER.merge(json.toString(), builder);
    } catch (InvalidProtocolBufferException e) {
      throw new ManifestException(doc.describe() + ": " + e.getMessage());
    }
    return new Manifest(doc.source(), doc.index(), resourceKind, builder.build());
  }

  private static ResourceKind<?, ?> resolve(YamlDocument doc, String apiVersion, String kind) {
    Optional<ResourceKind<?, ?>> found = Kinds.byKind(kind);
    if (found.isEmpty()) {
      throw new ManifestException(
          doc.describe() + ": no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\"");
    }
    ResourceKind<?, ?> rk = found.get();
    if (!rk.apiVersion().equals(apiVersion)) {
      throw new ManifestException(
          doc.describe() + ": no matches for kind \"" + kind + "\" in version \"" + apiVersion
              + "\" (" + kind + " is " + rk.apiVersion() + ")");
    }
    return rk;
  }

  private static String nameOf(MappingNode root) {
    Node metadata = value(root, "metadata");
    String name = metadata instanceof MappingNode m ? scalar(m, "name") : "";
    return name.isEmpty() ? "(unnamed)" : "\"" + name + "\"";
  }

  private static Node value(MappingNode mapping, String key) {
    for (NodeTuple t : mapping.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
        return t.getValueNode();
      }
    }
    return null;
  }

  private static String scalar(MappingNode mapping, String key) {
    return value(mapping, key) instanceof ScalarNode s ? s.getValue() : "";
  }
}
