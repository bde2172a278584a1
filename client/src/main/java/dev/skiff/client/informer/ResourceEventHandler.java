package dev.skiff.client.informer;

/**
 * Notified of changes to an informer's cache, on the informer's thread, in the order they happened.
 * Keep callbacks quick (enqueue a key in a WorkQueue): a slow handler delays every other handler
 * of the informer. Objects are immutable protos and may be kept. Exceptions are logged and ignored.
 */
public interface ResourceEventHandler<T> {
  /** A new object; also every cached object for a handler added late, after the cache filled. */
  default void onAdd(T o) {}

  /** A changed object; {@code oldO == newO} on a periodic resync. */
  default void onUpdate(T oldO, T newO) {}

  /**
   * A deleted object, in its last state seen. If the delete was missed (seen only through a relist
   * that no longer returns the object) this is the last state the cache held.
   */
  default void onDelete(T o) {}
}
