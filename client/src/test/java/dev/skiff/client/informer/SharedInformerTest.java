package dev.skiff.client.informer;

import static dev.skiff.client.TestPods.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.client.FakeApiServer;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SharedInformerTest {
  /** Records every callback as a line, e.g. "add ns/a", "update ns/a 3->4", "delete ns/a". */
  static final class RecordingHandler implements ResourceEventHandler<Pod> {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onAdd(Pod o) {
      events.add("add " + key(o));
    }

    @Override
    public void onUpdate(Pod oldO, Pod newO) {
      events.add(oldO == newO ? "resync " + key(newO) : "update " + key(newO) + " " + rv(oldO) + "->" + rv(newO));
    }

    @Override
    public void onDelete(Pod o) {
      events.add("delete " + key(o));
    }

    private static String key(Pod p) {
      return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }

    private static String rv(Pod p) {
      return p.getMetadata().getResourceVersion();
    }
  }

  private FakeApiServer server;
  private ManagedChannel channel;
  private SkiffClient client;
  private ResourceClient<Pod, ?> pods;
  private InformerFactory factory;

  @BeforeEach
  void setUp() throws Exception {
    server = new FakeApiServer(List.of(Kinds.POD)).start();
    channel = server.newChannel();
    client = SkiffClient.forChannel(channel);
    pods = client.resource(Kinds.POD);
    factory = new InformerFactory(client, Duration.ZERO);
  }

  @AfterEach
  void tearDown() {
    factory.close();
    channel.shutdownNow();
    server.close();
  }

  private static void eventually(Runnable assertion) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).untilAsserted(assertion::run);
  }

  @Test
  void listsThenWatchesAndTellsHandlers() {
    pods.create(pod("a", "p1", ""));
    pods.create(pod("b", "p2", ""));
    SharedInformer<Pod> informer = factory.informerFor(Kinds.POD);
    assertThat(factory.informerFor(Kinds.POD)).isSameAs(informer);
    RecordingHandler handler = new RecordingHandler();
    informer.addEventHandler(handler);
    assertThat(informer.hasSynced()).isFalse();
    factory.start();
    assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();
    assertThat(handler.events).containsExactly("add a/p1", "add b/p2");
    assertThat(informer.lister().list()).hasSize(2);
    assertThat(informer.lister().list("a")).extracting(p -> p.getMetadata().getName()).containsExactly("p1");
    assertThat(informer.lister().get("b/p2")).isPresent();
    assertThat(informer.lister().get("b", "p2")).isPresent();

    Pod p3 = pods.create(pod("a", "p3", ""));
    Pod p1 = pods.get("a", "p1");
    Pod p1b = pods.update(p1.toBuilder().setSpec(PodSpec.newBuilder().setNodeName("n1")).build());
    pods.delete("b", "p2");
    eventually(() -> assertThat(handler.events).containsExactly("add a/p1", "add b/p2", "add a/p3",
        "update a/p1 " + p1.getMetadata().getResourceVersion() + "->" + p1b.getMetadata().getResourceVersion(),
        "delete b/p2"));
    assertThat(informer.lister().get("a", "p1")).contains(p1b);
    assertThat(informer.lister().get("a", "p3")).contains(p3);
    assertThat(informer.lister().get("b", "p2")).isEmpty();
  }

  @Test
  void watchesAskForAServerSideTimeoutOfFiveToTenMinutes() {
    factory.informerFor(Kinds.POD);
    factory.start();
    eventually(() -> assertThat(server.openWatches()).isEqualTo(1));
    // like client-go's reflector: a watch on a silently dead connection ends and is re-opened
    assertThat(server.openWatchRequests().getFirst().getTimeoutSeconds()).isBetween(300L, 599L);
  }

  @Test
  void lateHandlerFirstGetsTheCacheAsAdds() {
    pods.create(pod("a", "p1", ""));
    SharedInformer<Pod> informer = factory.informerFor(Kinds.POD);
    factory.start();
    assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();
    RecordingHandler late = new RecordingHandler();
    informer.addEventHandler(late);
    pods.create(pod("a", "p2", ""));
    eventually(() -> assertThat(late.events).containsExactly("add a/p1", "add a/p2"));
  }

  @Test
  void customIndexFindsPodsByNode() {
    pods.create(pod("a", "p1", "n1"));
    pods.create(pod("a", "p2", "n2"));
    SharedInformer<Pod> informer = factory.informerFor(Kinds.POD);
    informer.addIndexer("node", p -> List.of(p.getSpec().getNodeName()));
    informer.addIndexer("labels", Indexers.labels(Kinds.POD));
    factory.start();
    assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();
    assertThat(informer.lister().byIndex("node", "n1")).extracting(p -> p.getMetadata().getName()).containsExactly("p1");
    assertThatThrownBy(() -> informer.addIndexer("late", p -> List.of())).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> informer.lister().byIndex("nope", "x")).isInstanceOf(IllegalArgumentException.class);

    Pod p2 = pods.get("a", "p2");
    pods.update(p2.toBuilder().setSpec(PodSpec.newBuilder().setNodeName("n1"))
        .setMetadata(p2.getMetadata().toBuilder().putLabels("app", "web")).build());
    eventually(() -> assertThat(informer.lister().byIndex("node", "n1")).hasSize(2));
    assertThat(informer.lister().byIndex("node", "n2")).isEmpty();
    assertThat(informer.lister().byIndex("labels", "app=web")).extracting(p -> p.getMetadata().getName()).containsExactly("p2");
  }

  @Test
  void fieldSelectedInformerSeesOnlyItsNodeAndAPodLeavingAsDelete() {
    pods.create(pod("a", "p1", "n1"));
    pods.create(pod("a", "p2", "n2"));
    SharedInformer<Pod> mine = factory.informerFor(Kinds.POD, "spec.nodeName=n1");
    assertThat(mine).isNotSameAs(factory.informerFor(Kinds.POD));
    RecordingHandler handler = new RecordingHandler();
    mine.addEventHandler(handler);
    factory.start();
    assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();
    assertThat(mine.lister().list()).extracting(p -> p.getMetadata().getName()).containsExactly("p1");

    Pod p1 = pods.get("a", "p1");
    pods.update(p1.toBuilder().setSpec(PodSpec.newBuilder().setNodeName("n3")).build());
    Pod p2 = pods.get("a", "p2");
    pods.update(p2.toBuilder().setSpec(PodSpec.newBuilder().setNodeName("n1")).build());
    eventually(() -> assertThat(handler.events).containsExactly("add a/p1", "delete a/p1", "add a/p2"));
  }

  @Test
  void watchFromCompactedVersionRelistsAndDeliversMissedDeletes() {
    pods.create(pod("a", "p1", ""));
    pods.create(pod("a", "p2", ""));
    SharedInformer<Pod> informer = factory.informerFor(Kinds.POD);
    RecordingHandler handler = new RecordingHandler();
    informer.addEventHandler(handler);
    factory.start();
    assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();
    eventually(() -> assertThat(server.openWatches()).isEqualTo(1));
    int listsBefore = server.calls("List");

    // The watch ends normally; before the informer re-watches, p1 is deleted and history compacted:
    // the re-watch fails with OUT_OF_RANGE, the relist no longer has p1.
    server.closeWatchesThen(() -> {
      server.deleteDirectly(Kinds.POD, "a/p1");
      server.compact();
    });

    eventually(() -> assertThat(handler.events).containsExactly("add a/p1", "add a/p2", "delete a/p1"));
    assertThat(server.calls("List")).isEqualTo(listsBefore + 1);
    assertThat(informer.lister().list()).extracting(p -> p.getMetadata().getName()).containsExactly("p2");

    // and it keeps watching afterwards
    pods.create(pod("a", "p3", ""));
    eventually(() -> assertThat(handler.events).endsWith("add a/p3"));
  }

  @Test
  void serverOutageEndsInRelistThatCatchesUp() {
    pods.create(pod("a", "p1", ""));
    SharedInformer<Pod> informer = factory.informerFor(Kinds.POD);
    RecordingHandler handler = new RecordingHandler();
    informer.addEventHandler(handler);
    factory.start();
    assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();
    eventually(() -> assertThat(server.openWatches()).isEqualTo(1));

    server.setAvailable(false); // breaks the watch; lists fail for now
    server.deleteDirectly(Kinds.POD, "a/p1");
    server.compact();
    server.setAvailable(true);

    eventually(() -> assertThat(handler.events).containsExactly("add a/p1", "delete a/p1"));
    eventually(() -> assertThat(server.openWatches()).isEqualTo(1));
    pods.create(pod("a", "p2", ""));
    eventually(() -> assertThat(informer.lister().get("a/p2")).isPresent());
  }

  @Test
  void watchExpiredWhileConnectedTriggersRelist() {
    SharedInformer<Pod> informer = factory.informerFor(Kinds.POD);
    RecordingHandler handler = new RecordingHandler();
    informer.addEventHandler(handler);
    factory.start();
    assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();
    eventually(() -> assertThat(server.openWatches()).isEqualTo(1));
    int lists = server.calls("List");
    server.breakWatches(); // informer relists, then watches again
    eventually(() -> assertThat(server.calls("List")).isGreaterThan(lists));
    eventually(() -> assertThat(server.openWatches()).isEqualTo(1));
    pods.create(pod("a", "after", ""));
    eventually(() -> assertThat(handler.events).containsExactly("add a/after"));
  }

  @Test
  void listFailuresAreRetriedWithBackoffUntilSynced() {
    server.failNext("List", io.grpc.Status.Code.INTERNAL, io.grpc.Status.Code.INTERNAL);
    SharedInformer<Pod> informer = factory.informerFor(Kinds.POD);
    factory.start();
    assertThat(factory.waitForSync(Duration.ofSeconds(10))).isTrue();
    assertThat(informer.hasSynced()).isTrue();
    assertThat(server.calls("List")).isEqualTo(3);
  }

  @Test
  void periodicResyncRedeliversCachedObjects() {
    pods.create(pod("a", "p1", ""));
    try (InformerFactory resyncing = new InformerFactory(client, Duration.ofMillis(200))) {
      SharedInformer<Pod> informer = resyncing.informerFor(Kinds.POD);
      RecordingHandler handler = new RecordingHandler();
      informer.addEventHandler(handler);
      resyncing.start();
      eventually(() -> assertThat(handler.events).contains("resync a/p1"));
      assertThat(handler.events.getFirst()).isEqualTo("add a/p1");
    }
  }

  @Test
  void aFailingHandlerDoesNotStopOthers() {
    SharedInformer<Pod> informer = factory.informerFor(Kinds.POD);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod o) {
        throw new IllegalStateException("boom");
      }
    });
    RecordingHandler handler = new RecordingHandler();
    informer.addEventHandler(handler);
    factory.start();
    pods.create(pod("a", "p1", ""));
    pods.create(Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace("a").setName("p2")).build());
    eventually(() -> assertThat(handler.events).containsExactly("add a/p1", "add a/p2"));
  }

  @Test
  void waitForSyncTimesOutWhenServerIsDown() {
    server.setAvailable(false);
    factory.informerFor(Kinds.POD);
    factory.start();
    assertThat(factory.waitForSync(Duration.ofMillis(300))).isFalse();
  }
}
