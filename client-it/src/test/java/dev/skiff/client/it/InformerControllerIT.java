package dev.skiff.client.it;

import static dev.skiff.client.it.Fixtures.eventually;
import static dev.skiff.client.it.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.ConfigMapList;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.informer.InformerFactory;
import dev.skiff.client.informer.Lister;
import dev.skiff.client.informer.ResourceEventHandler;
import dev.skiff.client.informer.SharedInformer;
import dev.skiff.client.queue.ControllerLoop;
import dev.skiff.client.queue.RateLimiters;
import dev.skiff.client.queue.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import dev.skiff.api.v1.DeleteRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Informers, work queues and a controller loop against the real API server. */
class InformerControllerIT {
  private static InProcessCluster cluster;
  private static SkiffClient client;
  private InformerFactory factory;

  @BeforeAll
  static void startCluster() {
    cluster = InProcessCluster.start();
    client = cluster.client();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  /** Each test works in its own namespaces "a<n>" and "b<n>" and has its own informers. */
  private static int testNumber;
  private String a;
  private String b;
  private String n1;
  private String n2;
  private String n3;

  @BeforeEach
  void start() {
    testNumber++;
    a = "a" + testNumber;
    b = "b" + testNumber;
    n1 = "n1-" + testNumber;
    n2 = "n2-" + testNumber;
    n3 = "n3-" + testNumber;
    Fixtures.createNamespace(client, a);
    Fixtures.createNamespace(client, b);
    factory = new InformerFactory(client, Duration.ZERO);
  }

  @AfterEach
  void stop() {
    factory.close();
  }

  private static DeleteRequest now(String namespace, String name) {
    return DeleteRequest.newBuilder().setNamespace(namespace).setName(name).setGracePeriodSeconds(0).build();
  }

  @Test
  void informerCacheFollowsTheServerWithIndexesAndHandlers() {
    var pods = client.resource(Kinds.POD);
    pods.create(pod(a, "p1", n1));
    pods.create(pod(b, "p2", n2));
    SharedInformer<Pod> informer = factory.informerFor(Kinds.POD);
    informer.addIndexer("node", p -> List.of(p.getSpec().getNodeName()));
    List<String> seen = new CopyOnWriteArrayList<>();
    informer.addEventHandler(new ResourceEventHandler<>() {
      // the cluster is shared by this class's tests: record only this test's namespaces
      private boolean mine(Pod p) {
        return p.getMetadata().getNamespace().equals(a) || p.getMetadata().getNamespace().equals(b);
      }

      @Override
      public void onAdd(Pod o) {
        if (mine(o)) {
          seen.add("add " + o.getMetadata().getName());
        }
      }

      @Override
      public void onUpdate(Pod oldO, Pod newO) {
        if (mine(newO)) {
          seen.add("update " + newO.getMetadata().getName());
        }
      }

      @Override
      public void onDelete(Pod o) {
        if (mine(o)) {
          seen.add("delete " + o.getMetadata().getName());
        }
      }
    });
    factory.start();
    assertThat(factory.waitForSync(Duration.ofSeconds(15))).isTrue();
    Lister<Pod> lister = informer.lister();
    assertThat(lister.list(b)).hasSize(1);
    assertThat(lister.list(a)).extracting(p -> p.getMetadata().getName()).containsExactly("p1");
    assertThat(lister.byIndex("node", n2)).extracting(p -> p.getMetadata().getName()).containsExactly("p2");

    pods.create(pod(a, "p3", n2));
    pods.patch(a, "p1", "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}");
    pods.delete(now(b, "p2"));
    eventually().untilAsserted(() -> assertThat(seen).containsExactlyInAnyOrder(
        "add p1", "add p2", "add p3", "update p1", "delete p2"));
    assertThat(seen.subList(0, 2)).containsExactlyInAnyOrder("add p1", "add p2");
    assertThat(lister.get(a, "p1").orElseThrow().getMetadata().getLabelsMap()).containsEntry("tier", "web");
    assertThat(lister.byIndex("node", n2)).extracting(p -> p.getMetadata().getName()).containsExactly("p3");
    assertThat(lister.get(b + "/p2")).isEmpty();
  }

  @Test
  void fieldSelectedInformerSeesOnlyItsNodesPods() {
    var pods = client.resource(Kinds.POD);
    pods.create(pod(a, "mine", n1));
    pods.create(pod(a, "other", n2));
    SharedInformer<Pod> informer = factory.informerFor(Kinds.POD, "spec.nodeName=" + n1);
    factory.start();
    assertThat(factory.waitForSync(Duration.ofSeconds(15))).isTrue();
    assertThat(informer.lister().list()).as("other tests' pods are on other nodes")
        .extracting(p -> p.getMetadata().getName()).containsExactly("mine");
    pods.create(pod(b, "mine-too", n1));
    pods.create(pod(b, "not-mine", n3));
    pods.delete(now(a, "mine"));
    eventually().untilAsserted(() -> assertThat(informer.lister().list())
        .extracting(p -> p.getMetadata().getName()).containsExactly("mine-too"));
  }

  /**
   * A small controller: for every ConfigMap, the label {@code keys} must equal its number of data
   * entries. Informer → key → rate-limited queue → idempotent reconcile, with a failure injected.
   */
  @Test
  void controllerLoopReconcilesEveryKeyFromTheInformer() {
    ResourceClient<ConfigMap, ConfigMapList> configMaps = client.resource(Kinds.CONFIG_MAP);
    SharedInformer<ConfigMap> informer = factory.informerFor(Kinds.CONFIG_MAP);
    WorkQueue<String> queue = new WorkQueue<>("labeller", RateLimiters.defaultControllerRateLimiter(), Clock.systemUTC());
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(ConfigMap o) {
        queue.add(Kinds.CONFIG_MAP.key(o));
      }

      @Override
      public void onUpdate(ConfigMap oldO, ConfigMap newO) {
        queue.add(Kinds.CONFIG_MAP.key(newO));
      }
    });
    Set<String> inFlight = ConcurrentHashMap.newKeySet();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger injectedFailures = new AtomicInteger();
    ControllerLoop loop = new ControllerLoop("labeller", queue, key -> {
      if (!inFlight.add(key)) {
        overlaps.incrementAndGet();
      }
      try {
        if (key.equals(b + "/cm-3") && injectedFailures.getAndIncrement() == 0) {
          throw new IllegalStateException("injected failure");
        }
        Optional<ConfigMap> cached = informer.lister().get(key);
        if (cached.isEmpty()) {
          return;
        }
        ConfigMap cm = cached.get();
        String want = Integer.toString(cm.getDataCount());
        if (!want.equals(cm.getMetadata().getLabelsMap().get("keys"))) {
          configMaps.update(cm.toBuilder().setMetadata(cm.getMetadata().toBuilder().putLabels("keys", want)).build());
        }
      } finally {
        inFlight.remove(key);
      }
    }, 3);

    for (int i = 0; i < 10; i++) {
      configMaps.create(ConfigMap.newBuilder()
          .setMetadata(ObjectMeta.newBuilder().setNamespace(i % 2 == 0 ? a : b).setName("cm-" + i))
          .putData("k", "v").build());
    }
    try (loop) {
      factory.start();
      assertThat(factory.waitForSync(Duration.ofSeconds(15))).isTrue();
      loop.start();
      configMaps.create(ConfigMap.newBuilder()
          .setMetadata(ObjectMeta.newBuilder().setNamespace(a).setName("late"))
          .putData("x", "1").putData("y", "2").build());
      eventually().untilAsserted(() -> {
        List<ConfigMap> all = java.util.stream.Stream.concat(
            configMaps.list(a).getItemsList().stream(), configMaps.list(b).getItemsList().stream()).toList();
        assertThat(all).hasSize(11);
        assertThat(all).allSatisfy(cm -> assertThat(cm.getMetadata().getLabelsMap())
            .containsEntry("keys", Integer.toString(cm.getDataCount())));
      });
    }
    assertThat(overlaps).hasValue(0);
    assertThat(injectedFailures.get()).isGreaterThanOrEqualTo(2);
    assertThat(queue.numRequeues(b + "/cm-3")).as("forgotten after success").isZero();
  }
}
