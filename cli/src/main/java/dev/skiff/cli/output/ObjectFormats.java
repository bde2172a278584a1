package dev.skiff.cli.output;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** Objects as JSON (the proto3 JSON mapping = Kubernetes' JSON) and as YAML. */
public final class ObjectFormats {
  private static final JsonFormat.Printer JSON = JsonFormat.printer();

  private ObjectFormats() {}

  public static String json(MessageOrBuilder message) {
    try {
      return JSON.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
    }
  }

  /** kubectl's {@code kind: List} wrapper around several objects, as JSON. */
  public static String jsonList(java.util.List<? extends MessageOrBuilder> items) {
    com.google.gson.JsonObject list = new com.google.gson.JsonObject();
    list.addProperty("apiVersion", "v1");
    com.google.gson.JsonArray array = new com.google.gson.JsonArray();
    for (MessageOrBuilder item : items) {
      array.add(com.google.gson.JsonParser.parseString(json(item)));
    }
    list.add("items", array);
    list.addProperty("kind", "List");
    com.google.gson.JsonObject meta = new com.google.gson.JsonObject();
    meta.addProperty("resourceVersion", "");
    list.add("metadata", meta);
    return new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(list);
  }

  public static String yamlList(java.util.List<? extends MessageOrBuilder> items) {
    return jsonToYaml(jsonList(items));
  }

  public static String yaml(MessageOrBuilder message) {
    return jsonToYaml(json(message));
  }

  /** JSON is YAML: load it keeping key order, dump it in block style. */
  public static String jsonToYaml(String json) {
    Object tree = new Load(LoadSettings.builder().build()).loadFromString(json);
    DumpSettings settings = DumpSettings.builder()
        .setDefaultFlowStyle(FlowStyle.BLOCK)
        .setIndentWithIndicator(false)
        .setSplitLines(false)
        .build();
    return new Dump(settings).dumpToString(tree);
  }
}
