package dev.skiff.apiserver.registry;

import com.google.protobuf.Message;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Read access to a kind's watch cache, for lists that may be served from memory. */
public interface CacheReader<T extends Message> {
  /** The cached objects, sorted by store key, at one revision. */
  record Snapshot<T>(long revision, List<T> objects) {}

  /**
   * A snapshot at least as recent as {@code minRevision} (0: whatever the cache has), waiting at
   * most {@code wait} for the cache to catch up; empty when the cache is not ready or too old.
   */
  Optional<Snapshot<T>> snapshot(long minRevision, Duration wait);

  /** The store revision the cache reflects (every change up to it is in the cache). */
  long revision();

  /** The object with this key ("ns/name" or "name") if cached, without waiting. */
  Optional<T> peek(String key);
}
