package dev.skiff.apiserver.registry;

import dev.skiff.api.v1.Namespace;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.strategy.NamespaceStrategy;
import java.util.Optional;
import java.util.function.Function;

/**
 * Kubernetes' NamespaceLifecycle rule: objects are created only in a namespace that exists and
 * is not terminating. An active namespace seen in the watch cache is trusted; anything else is
 * checked with a consistent store read (a namespace created a moment ago may not be cached yet).
 */
public final class NamespaceGuard {
  private final CacheReader<Namespace> cache;
  private final Function<String, Optional<Namespace>> storeLookup;

  public NamespaceGuard(CacheReader<Namespace> cache, Function<String, Optional<Namespace>> storeLookup) {
    this.cache = cache;
    this.storeLookup = storeLookup;
  }

  public void checkCreateAllowed(String namespace) {
    Optional<Namespace> cached = cache == null ? Optional.empty() : cache.peek(namespace);
    if (cached.isPresent() && !NamespaceStrategy.terminating(cached.get())) {
      return;
    }
    Namespace ns = storeLookup.apply(namespace)
        .orElseThrow(() -> ApiError.notFound("namespaces", namespace));
    if (NamespaceStrategy.terminating(ns)) {
      throw ApiError.failedPrecondition("unable to create new content in namespace " + namespace
          + " because it is being terminated");
    }
  }
}
