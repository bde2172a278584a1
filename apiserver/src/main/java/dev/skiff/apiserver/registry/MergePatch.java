package dev.skiff.apiserver.registry;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.skiff.apiserver.errors.ApiError;
import java.util.Map;

/** JSON merge patch (RFC 7386) applied to the proto3 JSON form of an object. Stateless. */
public final class MergePatch {
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();

  private MergePatch() {}

  @SuppressWarnings("unchecked")
  public static <T extends Message> T apply(T current, String patch) {
    JsonElement patchJson;
    try {
      patchJson = JsonParser.parseString(patch);
    } catch (JsonSyntaxException e) {
      throw ApiError.badRequest("patch", "not valid JSON: " + e.getMessage());
    }
    if (!patchJson.isJsonObject()) {
      throw ApiError.badRequest("patch", "a merge patch must be a JSON object");
    }
    JsonElement merged;
    try {
      merged = merge(JsonParser.parseString(PRINTER.print(current)), patchJson);
    } catch (InvalidProtocolBufferException e) {
      throw ApiError.internal("cannot render the object as JSON: " + e.getMessage());
    }
    Message.Builder b = current.newBuilderForType();
    try {
      PARSER.merge(merged.toString(), b);
    } catch (InvalidProtocolBufferException e) {
      throw ApiError.badRequest("patch", "the patched object is not a valid "
          + current.getDescriptorForType().getName() + ": " + e.getMessage());
    }
    return (T) b.build();
  }

  static JsonElement merge(JsonElement target, JsonElement patch) {
    if (!patch.isJsonObject()) {
      return patch;
    }
    JsonObject result = target != null && target.isJsonObject() ? target.getAsJsonObject().deepCopy() : new JsonObject();
    for (Map.Entry<String, JsonElement> e : patch.getAsJsonObject().entrySet()) {
      if (e.getValue().isJsonNull()) {
        result.remove(e.getKey());
      } else {
        result.add(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }
}
