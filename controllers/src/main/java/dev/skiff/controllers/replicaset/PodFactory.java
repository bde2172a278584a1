package dev.skiff.controllers.replicaset;

import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.client.api.Kinds;
import dev.skiff.controllers.ownership.OwnerRefs;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * Builds a ReplicaSet's pods from its template: name {@code <rs>-<5 random>} (Kubernetes'
 * generateName suffix alphabet), the template's labels and annotations, a controller reference
 * to the ReplicaSet.
 */
final class PodFactory {
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int SUFFIX_LENGTH = 5;

  private final RandomGenerator random;

  PodFactory() {
    this(new SecureRandom());
  }

  PodFactory(RandomGenerator random) {
    this.random = random;
  }

  Pod newPod(ReplicaSet rs) {
    ObjectMeta owner = rs.getMetadata();
    ObjectMeta template = rs.getSpec().getTemplate().getMetadata();
    String prefix = owner.getName() + "-";
    ObjectMeta meta = ObjectMeta.newBuilder()
        .setNamespace(owner.getNamespace())
        .setGenerateName(prefix)
        .setName(prefix + suffix())
        .putAllLabels(template.getLabelsMap())
        .putAllAnnotations(template.getAnnotationsMap())
        .addAllFinalizers(template.getFinalizersList())
        .addOwnerReferences(OwnerRefs.controllerRef(Kinds.REPLICA_SET, owner))
        .build();
    return Pod.newBuilder()
        .setApiVersion("v1")
        .setKind("Pod")
        .setMetadata(meta)
        .setSpec(rs.getSpec().getTemplate().getSpec())
        .build();
  }

  private String suffix() {
    StringBuilder s = new StringBuilder(SUFFIX_LENGTH);
    for (int i = 0; i < SUFFIX_LENGTH; i++) {
      s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return s.toString();
  }
}
