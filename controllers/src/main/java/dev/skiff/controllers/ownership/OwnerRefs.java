package dev.skiff.controllers.ownership;

import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.OwnerReference;
import dev.skiff.client.api.ResourceKind;
import java.util.Optional;

/** Reading and writing {@code metadata.ownerReferences}. */
public final class OwnerRefs {
  private OwnerRefs() {}

  /** The owner reference with {@code controller: true}, if any. */
  public static Optional<OwnerReference> controllerOf(ObjectMeta meta) {
    for (OwnerReference ref : meta.getOwnerReferencesList()) {
      if (ref.getController()) {
        return Optional.of(ref);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code meta}'s controller is the object with {@code ownerUid}. */
  public static boolean isControlledBy(ObjectMeta meta, String ownerUid) {
    return controllerOf(meta).map(r -> r.getUid().equals(ownerUid)).orElse(false);
  }

  /** A controller reference to {@code owner} of {@code kind}, blocking the owner's foreground deletion. */
  public static OwnerReference controllerRef(ResourceKind<?, ?> kind, ObjectMeta owner) {
    return OwnerReference.newBuilder()
        .setApiVersion(kind.apiVersion())
        .setKind(kind.kind())
        .setName(owner.getName())
        .setUid(owner.getUid())
        .setController(true)
        .setBlockOwnerDeletion(true)
        .build();
  }

  /** {@code meta} without any reference to the owner with {@code ownerUid}. */
  public static ObjectMeta withoutOwner(ObjectMeta meta, String ownerUid) {
    ObjectMeta.Builder b = meta.toBuilder().clearOwnerReferences();
    for (OwnerReference ref : meta.getOwnerReferencesList()) {
      if (!ref.getUid().equals(ownerUid)) {
        b.addOwnerReferences(ref);
      }
    }
    return b.build();
  }

  /** Whether {@code meta} references the owner with {@code ownerUid}. */
  public static boolean references(ObjectMeta meta, String ownerUid) {
    return meta.getOwnerReferencesList().stream().anyMatch(r -> r.getUid().equals(ownerUid));
  }
}
