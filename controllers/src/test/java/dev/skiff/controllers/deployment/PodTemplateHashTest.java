package dev.skiff.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.PodTemplateSpec;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {
  static PodTemplateSpec template(String image) {
    return PodTemplateSpec.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().putLabels("app", "web").putLabels("tier", "front"))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("web").setImage(image)))
        .build();
  }

  @Test
  void sameTemplateSameHashOtherImageOtherHash() {
    String a = PodTemplateHash.compute(template("nginx:1"), 0);
    assertThat(PodTemplateHash.compute(template("nginx:1"), 0)).isEqualTo(a);
    assertThat(PodTemplateHash.compute(template("nginx:2"), 0)).isNotEqualTo(a);
    assertThat(a).matches("[bcdfghjklmnpqrstvwxz2456789]{1,10}");
  }

  @Test
  void hashLabelAndLabelOrderDoNotMatter() {
    PodTemplateSpec t = template("nginx:1");
    PodTemplateSpec labelled = t.toBuilder()
        .setMetadata(t.getMetadata().toBuilder().putLabels(PodTemplateHash.LABEL, "xyz")).build();
    PodTemplateSpec reordered = t.toBuilder()
        .setMetadata(ObjectMeta.newBuilder().putLabels("tier", "front").putLabels("app", "web")).build();
    String h = PodTemplateHash.compute(t, 0);
    assertThat(PodTemplateHash.compute(labelled, 0)).isEqualTo(h);
    assertThat(PodTemplateHash.compute(reordered, 0)).isEqualTo(h);
    assertThat(PodTemplateHash.equalIgnoringHash(t, labelled)).isTrue();
    assertThat(PodTemplateHash.equalIgnoringHash(t, template("nginx:2"))).isFalse();
  }

  @Test
  void collisionCountChangesTheHash() {
    PodTemplateSpec t = template("nginx:1");
    assertThat(PodTemplateHash.compute(t, 1)).isNotEqualTo(PodTemplateHash.compute(t, 0));
    assertThat(PodTemplateHash.compute(t, 2)).isNotEqualTo(PodTemplateHash.compute(t, 1));
  }

  @Test
  void safeEncodingMapsDigitsLikeKubernetes() {
    // Kubernetes' rand.SafeEncodeString: alphanums[b % 27] over "bcdfghjklmnpqrstvwxz2456789".
    assertThat(PodTemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
  }
}
