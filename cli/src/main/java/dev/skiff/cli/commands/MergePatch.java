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

  /**
   * Whether sending {@code patch} would change nothing the user can see: every value it sets is
   * already there, every field it removes is already absent. Lists are compared element by
   * element, an element matching when its live version has at least the fields the patch gives
   * (the server fills defaults in, e.g. a port's protocol).
   */
  static boolean isNoOp(JsonElement live, JsonElement patch) {
    if (patch.isJsonObject()) {
      if (live == null || !live.isJsonObject()) {
        return prune(patch).getAsJsonObject().isEmpty() && (live == null || live.isJsonNull());
      }
      JsonObject l = live.getAsJsonObject();
      for (Map.Entry<String, JsonElement> e : patch.getAsJsonObject().entrySet()) {
        if (e.getValue().isJsonNull()) {
          if (l.has(e.getKey())) {
            return false;
          }
        } else if (!isNoOp(l.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
      return true;
    }
    if (patch.isJsonArray()) {
      if (live == null || !live.isJsonArray() || live.getAsJsonArray().size() != patch.getAsJsonArray().size()) {
        return false;
      }
      for (int i = 0; i < patch.getAsJsonArray().size(); i++) {
        if (!isNoOp(live.getAsJsonArray().get(i), patch.getAsJsonArray().get(i))) {
          return false;
        }
      }
      return true;
    }
    return patch.equals(live);
  }
}
