package dev.skiff.cli.manifest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Turns a YAML node tree into the proto3 JSON of a message type by walking the message's
 * descriptor, so that each YAML scalar becomes what its field needs: a number stays a number in an
 * integer field and becomes a string in a string field (IntOrString fields such as
 * {@code targetPort: 80} are strings in our protos), {@code true} stays a boolean. Every field the
 * message does not have, and every value of the wrong shape, is reported with its path; the walk
 * goes on so that one pass lists them all.
 *
 * <p>Not thread-safe: one instance per conversion.
 */
public final class YamlToProtoJson {
  private static final Set<String> STRING_LIKE_WELL_KNOWN =
      Set.of("google.protobuf.Timestamp", "google.protobuf.Duration", "google.protobuf.FieldMask");
  private static final Set<String> FREE_FORM_WELL_KNOWN =
      Set.of("google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue");

  private final List<FieldProblem> problems = new ArrayList<>();

  public List<FieldProblem> problems() {
    return problems;
  }

  /** Converts a document whose root must be a mapping of {@code type}'s fields. */
  public JsonObject convert(Node root, Descriptor type) {
    if (!(root instanceof MappingNode mapping)) {
      problem("", root, "expected a mapping (an object), got " + describe(root));
      return new JsonObject();
    }
    return message(mapping, type, "");
  }

  private JsonObject message(MappingNode node, Descriptor type, String path) {
    JsonObject out = new JsonObject();
    for (NodeTuple tuple : node.getValue()) {
      String key = scalarText(tuple.getKeyNode());
      String fieldPath = path.isEmpty() ? key : path + "." + key;
      FieldDescriptor field = findField(type, key);
      if (field == null) {
        problem(fieldPath, tuple.getKeyNode(), "unknown field \"" + key + "\"");
        continue;
      }
      Node value = tuple.getValueNode();
      if (isNull(value)) {
        continue;
      }
      JsonElement converted;
      if (field.isMapField()) {
        converted = map(value, field, fieldPath);
      } else if (field.isRepeated()) {
        converted = repeated(value, field, fieldPath);
      } else {
        converted = single(value, field, fieldPath);
      }
      if (converted != null) {
        out.add(field.getJsonName(), converted);
      }
    }
    return out;
  }

  private JsonElement map(Node node, FieldDescriptor field, String path) {
    if (!(node instanceof MappingNode mapping)) {
      problem(path, node, "expected a mapping, got " + describe(node));
      return null;
    }
    FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
    JsonObject out = new JsonObject();
    for (NodeTuple tuple : mapping.getValue()) {
      String key = scalarText(tuple.getKeyNode());
      Node value = tuple.getValueNode();
      if (isNull(value)) {
        continue;
      }
      JsonElement converted = single(value, valueField, path + "." + key);
      if (converted != null) {
        out.add(key, converted);
      }
    }
    return out;
  }

  private JsonElement repeated(Node node, FieldDescriptor field, String path) {
    if (!(node instanceof SequenceNode sequence)) {
      problem(path, node, "expected a list, got " + describe(node));
      return null;
    }
    JsonArray out = new JsonArray();
    List<Node> items = sequence.getValue();
    for (int i = 0; i < items.size(); i++) {
      JsonElement converted = single(items.get(i), field, path + "[" + i + "]");
      if (converted != null) {
        out.add(converted);
      }
    }
    return out;
  }

  private JsonElement single(Node node, FieldDescriptor field, String path) {
    switch (field.getJavaType()) {
      case MESSAGE -> {
        String fullName = field.getMessageType().getFullName();
        if (FREE_FORM_WELL_KNOWN.contains(fullName)) {
          return freeForm(node);
        }
        if (STRING_LIKE_WELL_KNOWN.contains(fullName)) {
          return string(node, path);
        }
        if (fullName.startsWith("google.protobuf.") && fullName.endsWith("Value")) {
          return single(node, field.getMessageType().findFieldByName("value"), path);
        }
        if (!(node instanceof MappingNode mapping)) {
          problem(path, node, "expected a mapping (an object), got " + describe(node));
          return null;
        }
        return message(mapping, field.getMessageType(), path);
      }
      case STRING, BYTE_STRING, ENUM -> {
        return string(node, path);
      }
      case INT, LONG -> {
        return integer(node, path);
      }
      case FLOAT, DOUBLE -> {
        return decimal(node, path);
      }
      case BOOLEAN -> {
        return bool(node, path);
      }
    }
    throw new IllegalStateException("unhandled field type " + field.getJavaType());
  }

  private JsonElement string(Node node, String path) {
    if (!(node instanceof ScalarNode scalar)) {
      problem(path, node, "expected a string, got " + describe(node));
      return null;
    }
    return new JsonPrimitive(scalar.getValue());
  }

  private JsonElement integer(Node node, String path) {
    if (node instanceof ScalarNode scalar) {
      BigInteger value = parseInteger(scalar.getValue());
      if (value != null) {
        return new JsonPrimitive(value);
      }
    }
    problem(path, node, "expected an integer, got " + describe(node));
    return null;
  }

  private JsonElement decimal(Node node, String path) {
    if (node instanceof ScalarNode scalar) {
      try {
        return new JsonPrimitive(new BigDecimal(scalar.getValue().replace("_", "")));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    problem(path, node, "expected a number, got " + describe(node));
    return null;
  }

  private JsonElement bool(Node node, String path) {
    if (node instanceof ScalarNode scalar) {
      String text = scalar.getValue().toLowerCase(Locale.ROOT);
      if (text.equals("true") || text.equals("false")) {
        return new JsonPrimitive(Boolean.parseBoolean(text));
      }
    }
    problem(path, node, "expected true or false, got " + describe(node));
    return null;
  }

  /** google.protobuf.Struct/Value/ListValue: any YAML, scalars typed by their YAML tag. */
  private JsonElement freeForm(Node node) {
    if (node instanceof MappingNode mapping) {
      JsonObject out = new JsonObject();
      for (NodeTuple tuple : mapping.getValue()) {
        out.add(scalarText(tuple.getKeyNode()), freeForm(tuple.getValueNode()));
      }
      return out;
    }
    if (node instanceof SequenceNode sequence) {
      JsonArray out = new JsonArray();
      sequence.getValue().forEach(item -> out.add(freeForm(item)));
      return out;
    }
    ScalarNode scalar = (ScalarNode) node;
    Tag tag = scalar.getTag();
    if (tag.equals(Tag.NULL)) {
      return JsonNull.INSTANCE;
    }
    if (tag.equals(Tag.BOOL)) {
      return new JsonPrimitive(Boolean.parseBoolean(scalar.getValue().toLowerCase(Locale.ROOT)));
    }
    if (tag.equals(Tag.INT)) {
      BigInteger value = parseInteger(scalar.getValue());
      return value == null ? new JsonPrimitive(scalar.getValue()) : new JsonPrimitive(value);
    }
    if (tag.equals(Tag.FLOAT)) {
      try {
        return new JsonPrimitive(new BigDecimal(scalar.getValue()));
      } catch (NumberFormatException e) {
        return new JsonPrimitive(scalar.getValue());
      }
    }
    return new JsonPrimitive(scalar.getValue());
  }

  /** Decimal, 0x hex and 0o octal (YAML 1.2 core schema), with optional sign and underscores. */
  static BigInteger parseInteger(String text) {
    String t = text.replace("_", "");
    boolean negative = t.startsWith("-");
    if (t.startsWith("-") || t.startsWith("+")) {
      t = t.substring(1);
    }
    int radix = 10;
    if (t.startsWith("0x")) {
      radix = 16;
      t = t.substring(2);
    } else if (t.startsWith("0o")) {
      radix = 8;
      t = t.substring(2);
    }
    if (t.isEmpty()) {
      return null;
    }
    try {
      BigInteger value = new BigInteger(t, radix);
      return negative ? value.negate() : value;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static FieldDescriptor findField(Descriptor type, String key) {
    for (FieldDescriptor f : type.getFields()) {
      if (f.getJsonName().equals(key) || f.getName().equals(key)) {
        return f;
      }
    }
    return null;
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  private static String scalarText(Node node) {
    return node instanceof ScalarNode s ? s.getValue() : describe(node);
  }

  private static String describe(Node node) {
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "\"" + ((ScalarNode) node).getValue() + "\"";
  }

  private void problem(String path, Node node, String message) {
    int line = node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    problems.add(new FieldProblem(path, line, message));
  }
}
