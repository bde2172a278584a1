package dev.skiff.client.informer;

import java.util.List;
import java.util.Optional;

/**
 * A read-only view of an informer's cache; safe from any thread. Objects are immutable protos
 * shared with every other reader: never assume they are the latest state on the server.
 */
public interface Lister<T> {
  /** By cache key: {@code namespace/name}, or {@code name} for cluster-scoped kinds. */
  Optional<T> get(String key);

  Optional<T> get(String namespace, String name);

  /** Every cached object, ordered by key. */
  List<T> list();

  /** The cached objects of one namespace, ordered by key. */
  List<T> list(String namespace);

  /** The cached objects whose index function returned {@code value} under {@code indexName}. */
  List<T> byIndex(String indexName, String value);
}
