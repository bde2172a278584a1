package dev.skiff.controllers.podgc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Pod;
import dev.skiff.client.api.Kinds;
import dev.skiff.controllers.WorkLoop;
import dev.skiff.controllers.pods.Pods;
import dev.skiff.controllers.testing.Harness;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PodGarbageCollectorTest {
  Harness h;

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void podsOfADeletedNodeAreForceDeletedOthersStay() {
    h = Harness.start();
    h.objects().namespace("ns");
    h.objects().node("gone", true);
    h.objects().node("stays", true);
    Pod a = h.objects().pod("ns", "a", Map.of("app", "web"));
    Pod b = h.objects().pod("ns", "b", Map.of("app", "web"));
    h.objects().bind(a, "gone");
    h.objects().bind(b, "stays");
    WorkLoop gc = new PodGarbageCollector(h.ctx()).loop();
    h.startInformers();
    h.client().resource(Kinds.POD).delete("ns", "a"); // graceful: nobody will ever confirm it
    assertThat(Pods.isTerminating(h.client().resource(Kinds.POD).get("ns", "a"))).isTrue();
    h.client().resource(Kinds.NODE).delete("", "gone");
    h.settle(() -> h.client().resource(Kinds.POD).find("ns", "a").isEmpty(), gc);
    assertThat(h.client().resource(Kinds.POD).find("ns", "b")).isPresent();
  }
}
