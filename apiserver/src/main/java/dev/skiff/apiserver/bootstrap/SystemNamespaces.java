package dev.skiff.apiserver.bootstrap;

import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.registry.CacheReader;
import dev.skiff.apiserver.registry.Registry;
import dev.skiff.client.etcd.EtcdException;
import io.grpc.Status;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes' system namespaces controller: the namespaces every cluster has ({@link #NAMES})
 * are created when absent. Several apiservers may run this at once: a create that loses the race
 * (ALREADY_EXISTS) is success. Absence is judged from the namespace watch cache, so a cluster
 * that has them costs no store call.
 *
 * <p>{@link #ensure()} is called by the apiserver at start (before it serves) and then
 * periodically from its timer thread, so a deleted system namespace comes back; it never throws.
 */
public final class SystemNamespaces {
  public static final List<String> NAMES = List.of("default", "kube-system", "kube-public", "kube-node-lease");
  private static final Logger log = LoggerFactory.getLogger(SystemNamespaces.class);

  private final Registry<Namespace, ?> namespaces;
  private final CacheReader<Namespace> cache;
  private final List<String> names;

  public SystemNamespaces(Registry<Namespace, ?> namespaces, CacheReader<Namespace> cache) {
    this(namespaces, cache, NAMES);
  }

  /** Ensures {@code names} instead of {@link #NAMES}. */
  public SystemNamespaces(Registry<Namespace, ?> namespaces, CacheReader<Namespace> cache, List<String> names) {
    this.namespaces = namespaces;
    this.cache = cache;
    this.names = List.copyOf(names);
  }

  /** Creates every missing system namespace; returns how many this call created. */
  public int ensure() {
    int created = 0;
    for (String name : names) {
      if (cache.peek(name).isPresent()) {
        continue;
      }
      try {
        namespaces.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)).build());
        created++;
        log.info("created system namespace {}", name);
      } catch (ApiError e) {
        if (e.code() != Status.Code.ALREADY_EXISTS) {
          log.warn("cannot create system namespace {}: {}", name, e.getMessage());
        }
      } catch (EtcdException e) {
        log.warn("cannot create system namespace {} (store): {}", name, e.getMessage());
      }
    }
    return created;
  }
}
