package dev.skiff.cli.commands;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.Map;

/** JSON merge patches (RFC 7386): computing the one apply sends, and applying one locally. */
final class MergePatch {
  private MergePatch() {}

  /**
   * kubectl's three-way apply, on merge-patch terms: every field of {@code desired} is set, every
   * field that the last applied configuration had and {@code desired} no longer has is removed,
   * and fields neither mentions (set by the server or by other clients) are left alone.
   */
  static JsonObject applyPatch(JsonObject lastApplied, JsonObject desired) {
    JsonObject patch = new JsonObject();
    for (Map.Entry<String, JsonElement> e : desired.entrySet()) {
      JsonElement before = lastApplied.get(e.getKey());
      if (e.getValue().isJsonObject()) {
        JsonObject base = before != null && before.isJsonObject() ? before.getAsJsonObject() : new JsonObject();
        patch.add(e.getKey(), applyPatch(base, e.getValue().getAsJsonObject()));
      } else {
        patch.add(e.getKey(), e.getValue());
      }
    }
    for (String key : lastApplied.keySet()) {
      if (!desired.has(key)) {
        patch.add(key, JsonNull.INSTANCE);
      }
    }
    return patch;
  }

  /** RFC 7386 MergePatch(target, patch). */
  static JsonElement apply(JsonElement target, JsonElement patch) {
    if (!patch.isJsonObject()) {
      return patch;
    }
    JsonObject result = target != null && target.isJsonObject()
        ? target.getAsJsonObject().deepCopy()
        : new JsonObject();
    for (Map.Entry<String, JsonElement> e : patch.getAsJsonObject().entrySet()) {
      if (e.getValue().isJsonNull()) {
        result.remove(e.getKey());
      } else {
        result.add(e.getKey(), apply(result.get(e.getKey()), e.getValue()));
      }
    }
    return result;
  }

  /** A copy without empty objects (a set-but-empty message and an absent one mean the same here). */
  static JsonElement prune(JsonElement element) {
    if (!element.isJsonObject()) {
      return element;
    }
    JsonObject out = new JsonObject();
    for (Map.Entry<String, JsonElement> e : element.getAsJsonObject().entrySet()) {
      JsonElement v = prune(e.getValue());
      if (!(v.isJsonObject() && v.getAsJsonObject().isEmpty())) {
        out.add(e.getKey(), v);
      }
    }
    return out;
  }
}
