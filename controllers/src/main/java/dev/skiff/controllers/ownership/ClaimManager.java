package dev.skiff.controllers.ownership;

import com.google.protobuf.Message;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.OwnerReference;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.api.ResourceKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which objects a controller owns (Kubernetes' {@code ControllerRefManager}): those whose
 * controller reference points at it and still match its selector; orphans that match are adopted
 * (a controller reference is added); owned objects that stop matching are released (the
 * reference is removed). Writes use the object's resourceVersion, so a concurrent change fails
 * with ABORTED and the reconcile is retried.
 *
 * <p>Stateless apart from its clients: safe to share between workers.
 */
public final class ClaimManager<T extends Message> {
  private static final Logger log = LoggerFactory.getLogger(ClaimManager.class);

  private final ResourceKind<T, ?> dependentKind;
  private final ResourceClient<T, ?> dependents;
  private final ResourceKind<?, ?> ownerKind;

  public ClaimManager(ResourceKind<T, ?> dependentKind, ResourceClient<T, ?> dependents, ResourceKind<?, ?> ownerKind) {
    this.dependentKind = dependentKind;
    this.dependents = dependents;
    this.ownerKind = ownerKind;
  }

  /**
   * The objects among {@code candidates} that {@code owner} controls after adoption and release.
   *
   * @param freshOwner reads the owner live (not from a cache) before the first adoption, so a
   *     deleted or recreated owner adopts nothing
   * @throws ApiException if an adoption or release failed (after trying the others)
   */
  public List<T> claim(ObjectMeta owner, Predicate<Map<String, String>> selector, List<T> candidates,
      Supplier<Optional<ObjectMeta>> freshOwner) {
    List<T> claimed = new ArrayList<>();
    ApiException failure = null;
    Boolean canAdopt = null;
    boolean ownerDeleting = owner.hasDeletionTimestamp();
    for (T obj : candidates) {
      ObjectMeta meta = dependentKind.meta(obj);
      Optional<OwnerReference> ref = OwnerRefs.controllerOf(meta);
      boolean matches = selector.test(meta.getLabelsMap());
      try {
        if (ref.isPresent()) {
          if (!ref.get().getUid().equals(owner.getUid())) {
            continue;
          }
          if (matches) {
            claimed.add(obj);
          } else if (!ownerDeleting && !meta.hasDeletionTimestamp()) {
            release(owner, obj, meta);
          }
          continue;
        }
        if (!matches || ownerDeleting || meta.hasDeletionTimestamp()) {
          continue;
        }
        if (canAdopt == null) {
          canAdopt = freshOwner.get()
              .filter(m -> m.getUid().equals(owner.getUid()) && !m.hasDeletionTimestamp())
              .isPresent();
        }
        if (canAdopt) {
          adopt(owner, obj, meta).ifPresent(claimed::add);
        }
      } catch (ApiException e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
    return claimed;
  }

  private Optional<T> adopt(ObjectMeta owner, T obj, ObjectMeta meta) {
    ObjectMeta adopted = meta.toBuilder().addOwnerReferences(OwnerRefs.controllerRef(ownerKind, owner)).build();
    try {
      T updated = dependents.update(dependentKind.withMeta(obj, adopted));
      log.info("{} {}/{} adopted {} {}", ownerKind.kind(), owner.getNamespace(), owner.getName(),
          dependentKind.kind(), meta.getName());
      return Optional.of(updated);
    } catch (ApiException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private void release(ObjectMeta owner, T obj, ObjectMeta meta) {
    try {
      dependents.update(dependentKind.withMeta(obj, OwnerRefs.withoutOwner(meta, owner.getUid())));
      log.info("{} {}/{} released {} {}", ownerKind.kind(), owner.getNamespace(), owner.getName(),
          dependentKind.kind(), meta.getName());
    } catch (ApiException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }
}
