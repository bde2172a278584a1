package dev.skiff.apiserver.watchcache;

import com.google.protobuf.Message;
import dev.skiff.api.v1.WatchEventType;
import dev.skiff.client.api.ResourceKind;

/**
 * One change in the watch cache's ring: ADDED, MODIFIED or DELETED of {@code object} at
 * {@code revision}; {@code previous} is the object before the change (null for ADDED), used to
 * tell a filtered watcher that an object stopped (or started) matching. The watch event messages
 * sent for it are built once and shared by every watcher (built under the cache's lock).
 */
public final class CacheEvent<T extends Message> {
  private final WatchEventType type;
  private final T object;
  private final T previous;
  private final long revision;
  private final Message[] messages = new Message[WatchEventType.BOOKMARK.getNumber() + 1];

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

  /** The watch event message of this change as {@code as} (a filtered watcher may see ADDED/DELETED). */
  synchronized Message message(ResourceKind<T, ?> kind, WatchEventType as) {
    Message m = messages[as.getNumber()];
    if (m == null) {
      m = kind.newWatchEvent(as, object);
      messages[as.getNumber()] = m;
    }
    return m;
  }
}
