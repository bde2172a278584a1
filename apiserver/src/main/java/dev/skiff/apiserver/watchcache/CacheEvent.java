package dev.skiff.apiserver.watchcache;

import com.google.protobuf.Message;
import dev.skiff.api.v1.WatchEventType;
import dev.skiff.client.api.ResourceKind;

/**
 * One change in the watch cache's ring: ADDED, MODIFIED or DELETED of {@code object} at
 * {@code revision}; {@code previous} is the object before the change (null for ADDED), used to
 * tell a filtered watcher that an object stopped (or started) matching. The watch event messages
 * sent for it are built and serialized once and shared by every watcher.
 */
public final class CacheEvent<T extends Message> {
  private final WatchEventType type;
  private final T object;
  private final T previous;
  private final long revision;
  private final EncodedEvent[] messages = new EncodedEvent[WatchEventType.BOOKMARK.getNumber() + 1];

  public CacheEvent(WatchEventType type, T object, T previous, long revision) {
    this.type = type;
    this.object = object;
    this.previous = previous;
    this.revision = revision;
  }

  public WatchEventType type() {
    return type;
  }

  public T object() {
    return object;
  }

  public T previous() {
    return previous;
  }

  public long revision() {
    return revision;
  }

  /**
   * The watch event of this change as {@code as} (a filtered watcher may see ADDED/DELETED),
   * built and serialized once by the first watcher that needs it, then shared.
   */
  synchronized EncodedEvent message(ResourceKind<T, ?> kind, WatchEventType as) {
    EncodedEvent m = messages[as.getNumber()];
    if (m == null) {
      m = EncodedEvent.of(kind.newWatchEvent(as, object));
      messages[as.getNumber()] = m;
    }
    return m;
  }
}
