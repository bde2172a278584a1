package dev.skiff.cri.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.cri.v1.ImageSpec;
import org.junit.jupiter.api.Test;

class SimImagesTest {
  @Test
  void normalizesReferencesAsContainerd() {
    assertThat(SimImages.normalize("busybox")).isEqualTo("docker.io/library/busybox:latest");
    assertThat(SimImages.normalize("busybox:1.35")).isEqualTo("docker.io/library/busybox:1.35");
    assertThat(SimImages.normalize("user/app")).isEqualTo("docker.io/user/app:latest");
    assertThat(SimImages.normalize("localhost:5000/busybox:1.35")).isEqualTo("localhost:5000/busybox:1.35");
    assertThat(SimImages.normalize("localhost/app")).isEqualTo("localhost/app:latest");
    assertThat(SimImages.normalize("registry.example.com/a/b@sha256:abc")).isEqualTo("registry.example.com/a/b@sha256:abc");
    assertThatThrownBy(() -> SimImages.normalize("Busybox")).hasMessageContaining("invalid image reference");
    assertThatThrownBy(() -> SimImages.normalize("")).hasMessageContaining("invalid image reference");
  }

  @Test
  void onlyKnownImagesPullWhenTheRegistryIsStrict() {
    SimImages images = new SimImages(false);
    images.addPullable("localhost:5000/busybox:1.35");
    String id = images.pull(ImageSpec.newBuilder().setImage("localhost:5000/busybox:1.35").build());
    assertThat(images.find(id)).isPresent();
    assertThat(images.find(id.substring("sha256:".length()))).isPresent();
    assertThatThrownBy(() -> images.pull(ImageSpec.newBuilder().setImage("localhost:5000/other:1").build()))
        .hasMessageContaining("not found");
    assertThat(images.pullCount()).isEqualTo(2);
    images.preload("localhost:5000/pause:3.9");
    assertThat(images.list()).hasSize(2);
  }
}
