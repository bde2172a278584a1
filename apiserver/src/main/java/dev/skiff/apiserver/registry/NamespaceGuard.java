package dev.skiff.apiserver.registry;

import dev.skiff.api.v1.Namespace;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.strategy.NamespaceStrategy;
import java.util.Optional;
import java.util.function.Function;

/**
 * Kubernetes' NamespaceLifecycle rule: objects are created only in a namespace that exists and
 * is not terminating. An active namespace seen in the watch cache is trusted once the cache
 * reflects every namespace write of this apiserver (so a namespace this apiserver just began
 * deleting is never taken for active, like Kubernetes' forced live lookup after a namespace
 * delete); anything else is checked with a consistent store read (a namespace created a moment
 * ago may not be cached yet). A delete through another apiserver can still race a create here,
 * as in Kubernetes: the namespace controller removes what was created meanwhile. Thread-safe.
 */
public final class NamespaceGuard {
  private final CacheReader<Namespace> cache;
  private final WrittenRevision namespaceWrites;
  private final Function<String, Optional<Namespace>> storeLookup;

  /** {@code namespaceWrites}: advanced by the namespace registry of this apiserver. */
  public NamespaceGuard(CacheReader<Namespace> cache, WrittenRevision namespaceWrites,
                        Function<String, Optional<Namespace>> storeLookup) {
    this.cache = cache;
    this.namespaceWrites = namespaceWrites;
    this.storeLookup = storeLookup;
  }

  public void checkCreateAllowed(String namespace) {
    if (cache != null && cache.revision() >= namespaceWrites.get()) { // revision first: the copy is then at least as new
      Optional<Namespace> cached = cache.peek(namespace);
      if (cached.isPresent() && !NamespaceStrategy.terminating(cached.get())) {
        return;
      }
    }
    Namespace ns = storeLookup.apply(namespace)
        .orElseThrow(() -> ApiError.notFound("namespaces", namespace));
    if (NamespaceStrategy.terminating(ns)) {
      throw ApiError.failedPrecondition("unable to create new content in namespace " + namespace
          + " because it is being terminated");
    }
  }
}
