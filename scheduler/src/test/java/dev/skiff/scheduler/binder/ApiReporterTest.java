package dev.skiff.scheduler.binder;

import static dev.skiff.scheduler.TestObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodCondition;
import dev.skiff.client.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The PodScheduled condition the reporter writes (no API calls: withCondition is pure). */
class ApiReporterTest {
  private final ManualClock clock = new ManualClock();
  private final ApiReporter reporter = new ApiReporter(null, null, clock, Runnable::run);

  @Test
  void addsTheConditionAndKeepsItsTransitionTimeWhileStillFalse() {
    Pod pending = pod("p", "1", "1Gi").build();
    Pod first = reporter.withCondition(pending, "Unschedulable", "0/1 nodes are available.", null);
    PodCondition c = first.getStatus().getConditions(0);
    assertThat(c.getType()).isEqualTo("PodScheduled");
    assertThat(c.getStatus()).isEqualTo("False");
    assertThat(c.getReason()).isEqualTo("Unschedulable");
    assertThat(first.getStatus().getPhase()).isEqualTo("Pending");

    clock.advance(Duration.ofMinutes(1));
    Pod same = reporter.withCondition(first, "Unschedulable", "0/1 nodes are available.", null);
    assertThat(same).as("an unchanged condition means no write").isEqualTo(first);

    Pod changed = reporter.withCondition(first, "Unschedulable", "0/2 nodes are available.", "n1");
    assertThat(changed.getStatus().getConditionsCount()).isEqualTo(1);
    assertThat(changed.getStatus().getConditions(0).getLastTransitionTime())
        .isEqualTo(c.getLastTransitionTime());
    assertThat(changed.getStatus().getConditions(0).getMessage()).isEqualTo("0/2 nodes are available.");
    assertThat(changed.getStatus().getNominatedNodeName()).isEqualTo("n1");
  }
}
