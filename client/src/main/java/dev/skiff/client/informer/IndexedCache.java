package dev.skiff.client.informer;

import com.google.protobuf.Message;
import dev.skiff.client.api.ResourceKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informer's store: objects by key, plus indexes (index name → value → keys).
 *
 * <p>Thread model: exactly one writer, the informer's thread, calls {@link #put}, {@link #remove}
 * and {@link #addIndexer} (the last only before the informer starts); any thread reads through
 * {@link Lister}. A read-write lock keeps objects and indexes consistent with each other for readers.
 */
final class IndexedCache<T extends Message> implements Lister<T> {
  private static final Logger log = LoggerFactory.getLogger(IndexedCache.class);

  private final ResourceKind<T, ?> kind;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  // All guarded by `lock`.
  private final TreeMap<String, T> items = new TreeMap<>();
  private final Map<String, Function<T, Collection<String>>> indexers = new HashMap<>();
  private final Map<String, Map<String, Set<String>>> indices = new HashMap<>();

  IndexedCache(ResourceKind<T, ?> kind) {
    this.kind = kind;
    addIndexer(Indexers.NAMESPACE, Indexers.namespace(kind));
  }

  void addIndexer(String name, Function<T, Collection<String>> fn) {
    lock.writeLock().lock();
    try {
      if (indexers.putIfAbsent(name, fn) != null) {
        throw new IllegalArgumentException("index '" + name + "' already exists");
      }
      Map<String, Set<String>> index = new HashMap<>();
      indices.put(name, index);
      items.forEach((key, obj) -> indexValues(name, fn, obj).forEach(v -> index.computeIfAbsent(v, x -> new TreeSet<>()).add(key)));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Stores {@code obj}; returns the object it replaced, or null. */
  T put(T obj) {
    String key = kind.key(obj);
    lock.writeLock().lock();
    try {
      T old = items.put(key, obj);
      if (old != null) {
        unindex(key, old);
      }
      index(key, obj);
      return old;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes the object under {@code key}; returns it, or null. */
  T remove(String key) {
    lock.writeLock().lock();
    try {
      T old = items.remove(key);
      if (old != null) {
        unindex(key, old);
      }
      return old;
    } finally {
      lock.writeLock().unlock();
    }
  }

  Map<String, T> snapshot() {
    lock.readLock().lock();
    try {
      return new TreeMap<>(items);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<T> get(String key) {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(items.get(key));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public Optional<T> get(String namespace, String name) {
    return get(kind.key(namespace, name));
  }

  @Override
  public List<T> list() {
    lock.readLock().lock();
    try {
      return List.copyOf(items.values());
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<T> list(String namespace) {
    return byIndex(Indexers.NAMESPACE, namespace);
  }

  @Override
  public List<T> byIndex(String indexName, String value) {
    lock.readLock().lock();
    try {
      Map<String, Set<String>> index = indices.get(indexName);
      if (index == null) {
        throw new IllegalArgumentException("no index '" + indexName + "' on the " + kind.plural()
            + " informer; it has " + indices.keySet());
      }
      Set<String> keys = index.getOrDefault(value, Set.of());
      List<T> out = new ArrayList<>(keys.size());
      keys.forEach(k -> out.add(items.get(k)));
      return List.copyOf(out);
    } finally {
      lock.readLock().unlock();
    }
  }

  private void index(String key, T obj) {
    indexers.forEach((name, fn) -> {
      Map<String, Set<String>> index = indices.get(name);
      indexValues(name, fn, obj).forEach(v -> index.computeIfAbsent(v, x -> new TreeSet<>()).add(key));
    });
  }

  private void unindex(String key, T obj) {
    indexers.forEach((name, fn) -> {
      Map<String, Set<String>> index = indices.get(name);
      for (String v : indexValues(name, fn, obj)) {
        Set<String> keys = index.get(v);
        if (keys != null && keys.remove(key) && keys.isEmpty()) {
          index.remove(v);
        }
      }
    });
  }

  private Collection<String> indexValues(String name, Function<T, Collection<String>> fn, T obj) {
    try {
      Collection<String> values = fn.apply(obj);
      return values == null ? List.of() : values;
    } catch (RuntimeException e) {
      log.warn("index function '{}' failed on {} {}: {}", name, kind.kind(), kind.key(obj), e.toString());
      return List.of();
    }
  }
}
