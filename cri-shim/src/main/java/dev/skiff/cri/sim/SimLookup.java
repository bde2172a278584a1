package dev.skiff.cri.sim;

import io.grpc.Status;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** Ids, id lookup and label selection as containerd does them. Stateless. */
final class SimLookup {
  private SimLookup() {}

  /** An exact id, or a unique prefix of one (containerd accepts both). */
  static <T> T byIdOrPrefix(Map<String, T> byId, String id) {
    if (id.isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription("an id is required").asRuntimeException();
    }
    T exact = byId.get(id);
    if (exact != null) {
      return exact;
    }
    T found = null;
    for (Map.Entry<String, T> e : byId.entrySet()) {
      if (e.getKey().startsWith(id)) {
        if (found != null) {
          throw Status.INVALID_ARGUMENT.withDescription("id prefix \"" + id + "\" is ambiguous").asRuntimeException();
        }
        found = e.getValue();
      }
    }
    return found;
  }

  static boolean labelsMatch(Map<String, String> selector, Map<String, String> labels) {
    for (Map.Entry<String, String> e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  static String newId() {
    byte[] b = new byte[32];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }
}
