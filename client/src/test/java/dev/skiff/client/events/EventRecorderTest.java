package dev.skiff.client.events;

import static dev.skiff.client.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.api.v1.Event;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.client.FakeApiServer;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.time.ManualClock;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventRecorderTest {
  private final ManualClock clock = new ManualClock();
  private FakeApiServer server;
  private ManagedChannel channel;
  private SkiffClient client;
  private ResourceClient<Event, dev.skiff.api.v1.EventList> events;
  private EventRecorder recorder;

  @BeforeEach
  void setUp() throws Exception {
    server = new FakeApiServer(List.of(Kinds.EVENT, Kinds.POD)).start();
    channel = server.newChannel();
    client = SkiffClient.forChannel(channel);
    events = client.resource(Kinds.EVENT);
    recorder = new EventRecorder(client, "scheduler", "host-1", clock);
  }

  @AfterEach
  void tearDown() {
    recorder.close();
    channel.shutdownNow();
    server.close();
  }

  private List<Event> eventsIn(String namespace) {
    return Kinds.EVENT.items(events.list(namespace));
  }

  @Test
  void writesAnEventAboutTheObject() {
    Pod p = client.resource(Kinds.POD).create(pod("web", "p1", ""));
    recorder.event(p, "Normal", "Scheduled", "Successfully assigned web/p1 to n1");
    await().atMost(Duration.ofSeconds(5)).until(() -> eventsIn("web").size() == 1);
    Event e = eventsIn("web").getFirst();
    assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
    assertThat(e.getInvolvedObject().getApiVersion()).isEqualTo("v1");
    assertThat(e.getInvolvedObject().getName()).isEqualTo("p1");
    assertThat(e.getInvolvedObject().getUid()).isEqualTo(p.getMetadata().getUid());
    assertThat(e.getMetadata().getName()).startsWith("p1.");
    assertThat(e.getType()).isEqualTo("Normal");
    assertThat(e.getReason()).isEqualTo("Scheduled");
    assertThat(e.getMessage()).isEqualTo("Successfully assigned web/p1 to n1");
    assertThat(e.getSource().getComponent()).isEqualTo("scheduler");
    assertThat(e.getSource().getHost()).isEqualTo("host-1");
    assertThat(e.getCount()).isEqualTo(1);
    assertThat(e.getFirstTimestamp().getSeconds()).isEqualTo(clock.instant().getEpochSecond());
    assertThat(e.getLastTimestamp()).isEqualTo(e.getFirstTimestamp());
  }

  @Test
  void repeatsAreAggregatedIntoOneEventWithACount() {
    Pod p = client.resource(Kinds.POD).create(pod("web", "p1", ""));
    recorder.event(p, "Warning", "FailedScheduling", "0/3 nodes are available");
    clock.advance(Duration.ofSeconds(30));
    recorder.event(p, "Warning", "FailedScheduling", "0/3 nodes are available");
    clock.advance(Duration.ofSeconds(30));
    recorder.event(p.toBuilder().setMetadata(p.getMetadata().toBuilder().setResourceVersion("999")).build(),
        "Warning", "FailedScheduling", "0/3 nodes are available");
    recorder.event(p, "Warning", "FailedScheduling", "another message");
    await().atMost(Duration.ofSeconds(5)).until(() -> eventsIn("web").size() == 2
        && eventsIn("web").stream().anyMatch(e -> e.getCount() == 3));
    Event aggregated = eventsIn("web").stream().filter(e -> e.getCount() == 3).findFirst().orElseThrow();
    assertThat(aggregated.getLastTimestamp().getSeconds() - aggregated.getFirstTimestamp().getSeconds()).isEqualTo(60);
  }

  @Test
  void aggregatedEventDeletedMeanwhileIsWrittenAgain() {
    Pod p = client.resource(Kinds.POD).create(pod("web", "p1", ""));
    recorder.event(p, "Normal", "Pulled", "image pulled");
    await().atMost(Duration.ofSeconds(5)).until(() -> eventsIn("web").size() == 1);
    events.delete("web", eventsIn("web").getFirst().getMetadata().getName());
    recorder.event(p, "Normal", "Pulled", "image pulled");
    await().atMost(Duration.ofSeconds(5)).until(() -> eventsIn("web").size() == 1);
    assertThat(eventsIn("web").getFirst().getCount()).isEqualTo(1);
  }

  @Test
  void clusterScopedObjectsGetEventsInDefaultNamespace() {
    Node node = Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("n1").setUid("u1")).build();
    recorder.event(node, "Normal", "NodeReady", "node n1 is ready");
    await().atMost(Duration.ofSeconds(5)).until(() -> eventsIn("default").size() == 1);
    assertThat(eventsIn("default").getFirst().getInvolvedObject().getKind()).isEqualTo("Node");
  }

  @Test
  void neverBlocksTheCallerEvenWhenTheServerIsDown() {
    server.setAvailable(false);
    Pod p = pod("web", "p1", "");
    long start = System.nanoTime();
    for (int i = 0; i < EventRecorder.QUEUE_CAPACITY + 500; i++) {
      recorder.event(p, "Normal", "Spam", "message " + i);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(recorder.droppedEvents()).isPositive();
  }

  @Test
  void writesWhatIsQueuedOnClose() {
    Pod p = client.resource(Kinds.POD).create(pod("web", "p1", ""));
    for (int i = 0; i < 20; i++) {
      recorder.event(p, "Normal", "Step", "step " + i);
    }
    recorder.close();
    assertThat(eventsIn("web")).hasSize(20);
    recorder.event(p, "Normal", "Late", "after close");
    assertThat(eventsIn("web")).hasSize(20);
  }
}
