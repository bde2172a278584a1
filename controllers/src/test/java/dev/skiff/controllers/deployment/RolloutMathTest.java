package dev.skiff.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RolloutMathTest {

  @ParameterizedTest(name = "surge={0} unavailable={1} replicas={2} -> {3}/{4}")
  @CsvSource({
      "25%, 25%, 10, 3, 2",   // surge rounds up (2.5 -> 3), unavailable down (2.5 -> 2)
      "30%, 30%, 5, 2, 1",
      "50%, 50%, 1, 1, 0",
      "0, 0, 5, 0, 1",        // both zero: one may be unavailable so the rollout can move
      "0%, 0%, 10, 0, 1",
      "1, 0, 3, 1, 0",
      "2, 5, 3, 2, 3",        // unavailable capped at replicas
      "'', '', 4, 1, 1",      // unset means 25%
      "100%, 0, 3, 3, 0",
      "10%, 10%, 0, 0, 0",
  })
  void fenceposts(String surge, String unavailable, int replicas, int wantSurge, int wantUnavailable) {
    assertThat(RolloutMath.fenceposts(surge, unavailable, replicas))
        .isEqualTo(new RolloutMath.Fenceposts(wantSurge, wantUnavailable));
  }

  @ParameterizedTest(name = "replicas={0} surge={1} total={2} new={3} -> {4}")
  @CsvSource({
      "10, 3, 10, 0, 3",   // room for the whole surge
      "10, 3, 13, 3, 3",   // at the ceiling: no growth
      "10, 3, 12, 5, 6",
      "10, 3, 9, 9, 10",   // never past the desired count
      "10, 3, 10, 10, 10",
      "3, 0, 3, 0, 0",     // no surge: wait for old pods to go
      "3, 0, 2, 0, 1",
      "5, 1, 4, 7, 5",     // above desired: back to desired
  })
  void newReplicaSetReplicas(int replicas, int surge, int total, int current, int want) {
    assertThat(RolloutMath.newReplicaSetReplicas(replicas, surge, total, current)).isEqualTo(want);
  }

  @ParameterizedTest(name = "replicas={0} unavailable={1} total={2} newSpec={3} newAvailable={4} -> {5}")
  @CsvSource({
      "10, 2, 13, 3, 0, 2",
      "10, 2, 13, 3, 3, 5",
      "3, 0, 4, 1, 0, 0",   // maxUnavailable 0: nothing goes until the new pod is available
      "3, 0, 4, 1, 1, 1",
      "3, 1, 3, 0, 0, 1",
  })
  void maxScaledDown(int replicas, int unavailable, int total, int newSpec, int newAvailable, int want) {
    assertThat(RolloutMath.maxScaledDown(replicas, unavailable, total, newSpec, newAvailable)).isEqualTo(want);
  }

  @Test
  void proportionalSharesSpreadAndGiveLeftoverToFirst() {
    assertThat(RolloutMath.proportionalShares(List.of(5, 5), 3)).containsExactly(2, 1);
    assertThat(RolloutMath.proportionalShares(List.of(6, 3), -3)).containsExactly(-2, -1);
    assertThat(RolloutMath.proportionalShares(List.of(0, 0), 4)).containsExactly(4, 0);
    assertThat(RolloutMath.proportionalShares(List.of(1, 1), -2)).containsExactly(-1, -1);
    assertThat(RolloutMath.proportionalShares(List.of(2, 1), -3)).containsExactly(-2, -1);
    assertThat(RolloutMath.proportionalShares(List.of(4, 2), 0)).containsExactly(0, 0);
  }

  @Test
  void percentagesAndCountsResolve() {
    assertThat(IntOrPercent.resolve("33%", "25%", 10, true)).isEqualTo(4);
    assertThat(IntOrPercent.resolve("33%", "25%", 10, false)).isEqualTo(3);
    assertThat(IntOrPercent.resolve(" 7 ", "25%", 10, false)).isEqualTo(7);
    assertThatThrownBy(() -> IntOrPercent.resolve("abc", "25%", 10, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("abc");
    assertThatThrownBy(() -> IntOrPercent.resolve("-1", "25%", 10, true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
