package dev.skiff.nodeagent.volume;

import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.Secret;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ConfigMaps and Secrets that pods of this node read (env and volumes), fetched with Get and kept
 * for a short time (kubelet's TTL cache strategy): only objects pods use are read, and a change
 * reaches files within the TTL plus the pod resync period.
 *
 * <p>Thread-safe (a concurrent map; two workers may fetch the same object at once, harmlessly).
 */
public final class ObjectSource {
  private record Cached<T>(Optional<T> value, Instant fetchedAt) {}

  private final SkiffClient client;
  private final Clock clock;
  private final Duration ttl;
  private final ConcurrentHashMap<String, Cached<ConfigMap>> configMaps = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Cached<Secret>> secrets = new ConcurrentHashMap<>();

  public ObjectSource(SkiffClient client, Clock clock, Duration ttl) {
    this.client = client;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** The ConfigMap, or empty when it does not exist; API failures propagate. */
  public Optional<ConfigMap> configMap(String namespace, String name) {
    return lookup(configMaps, namespace, name,
        () -> client.resource(Kinds.CONFIG_MAP).find(namespace, name));
  }

  public Optional<Secret> secret(String namespace, String name) {
    return lookup(secrets, namespace, name, () -> client.resource(Kinds.SECRET).find(namespace, name));
  }

  private <T> Optional<T> lookup(ConcurrentHashMap<String, Cached<T>> cache, String namespace,
      String name, java.util.function.Supplier<Optional<T>> fetch) {
    String key = namespace + "/" + name;
    Instant now = clock.instant();
    Cached<T> cached = cache.get(key);
    if (cached != null && cached.fetchedAt().plus(ttl).isAfter(now)) {
      return cached.value();
    }
    Optional<T> value = fetch.get();
    cache.put(key, new Cached<>(value, now));
    return value;
  }
}
