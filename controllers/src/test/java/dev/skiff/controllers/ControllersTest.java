package dev.skiff.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ControllersTest {
  @Test
  void kubernetesStyleControllerLists() {
    assertThat(Controllers.enabled(List.of("*"))).isEqualTo(Controllers.ALL);
    assertThat(Controllers.enabled(List.of("*", "-garbagecollector")))
        .doesNotContain("garbagecollector").hasSize(Controllers.ALL.size() - 1);
    assertThat(Controllers.enabled(List.of("deployment,replicaset"))).containsExactly("replicaset", "deployment");
    assertThat(Controllers.enabled(List.of())).isEmpty();
    assertThatThrownBy(() -> Controllers.enabled(List.of("replicasets")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown controller 'replicasets'").hasMessageContaining("replicaset, deployment");
  }

  @Test
  void configRejectsNonsense() {
    assertThatThrownBy(() -> ControllerManagerConfig.defaults().withNodeLifecycle(java.time.Duration.ZERO,
        java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(300)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grace period");
    assertThat(ControllerManagerConfig.defaults().nodeMonitorGracePeriod()).hasSeconds(40);
    assertThat(ControllerManagerConfig.defaults().defaultTolerationSeconds()).hasSeconds(300);
  }
}
