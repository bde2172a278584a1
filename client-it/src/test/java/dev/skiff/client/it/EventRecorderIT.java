package dev.skiff.client.it;

import static dev.skiff.client.it.Fixtures.eventually;
import static dev.skiff.client.it.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Event;
import dev.skiff.api.v1.Pod;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.events.EventRecorder;
import dev.skiff.client.time.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events written to the real API server, repeats aggregated. */
class EventRecorderIT {
  @Test
  void writesAndAggregatesEvents() {
    ManualClock clock = new ManualClock();
    try (InProcessCluster cluster = InProcessCluster.start();
         EventRecorder recorder = new EventRecorder(cluster.client(), "scheduler", "host-1", clock)) {
      Fixtures.createNamespace(cluster.client(), "ev");
      Pod p = cluster.client().resource(Kinds.POD).create(pod("ev", "web", ""));
      for (int i = 0; i < 3; i++) {
        recorder.event(p, "Warning", "FailedScheduling", "0/0 nodes are available");
        clock.advance(Duration.ofSeconds(10));
      }
      recorder.event(p, "Normal", "Scheduled", "assigned ev/web to n1");
      var events = cluster.client().resource(Kinds.EVENT);
      eventually().untilAsserted(() -> {
        List<Event> all = events.list("ev").getItemsList();
        assertThat(all).hasSize(2);
        assertThat(all).anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("FailedScheduling");
          assertThat(e.getCount()).isEqualTo(3);
          assertThat(e.getLastTimestamp().getSeconds() - e.getFirstTimestamp().getSeconds()).isEqualTo(20);
          assertThat(e.getInvolvedObject().getUid()).isEqualTo(p.getMetadata().getUid());
          assertThat(e.getSource().getComponent()).isEqualTo("scheduler");
        });
      });
    }
  }
}
