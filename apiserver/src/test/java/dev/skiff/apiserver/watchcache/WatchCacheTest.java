package dev.skiff.apiserver.watchcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.ConfigMapList;
import dev.skiff.api.v1.ConfigMapWatchEvent;
import dev.skiff.api.v1.ConfigMapsGrpc;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.NamespacesGrpc;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.WatchEventType;
import dev.skiff.api.v1.WatchRequest;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.api.Kinds;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The watch cache through the API: ring limits, slow watchers, fan-out, bookmarks, cached lists. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchCacheTest {
  private static final int RING = 20;
  private static final int QUEUE = 10;
  private InProcessCluster cluster;
  private ConfigMapsGrpc.ConfigMapsBlockingStub configMaps;
  private final AtomicInteger seq = new AtomicInteger();

  @BeforeAll
  void start() {
    ApiServerConfig config = ApiServerConfig.defaults().withWatch(RING, QUEUE, Duration.ofHours(1));
    cluster = new InProcessCluster(config, List.of()).startCluster();
    configMaps = ConfigMapsGrpc.newBlockingStub(cluster.channel());
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  private String namespace() {
    String ns = "w" + seq.incrementAndGet();
    NamespacesGrpc.newBlockingStub(cluster.channel())
        .create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(ns)).build());
    return ns;
  }

  private ConfigMap create(String ns, String name) {
    return configMaps.create(ConfigMap.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName(name))
        .putData("k", "v").build());
  }

  /** Collects events; requests only {@code initialRequests} messages unless autoRequest. */
  private static final class Collector implements ClientResponseObserver<WatchRequest, ConfigMapWatchEvent> {
    final List<ConfigMapWatchEvent> events = new CopyOnWriteArrayList<>();
    final AtomicReference<Status> closed = new AtomicReference<>();
    private final boolean slow;

    Collector(boolean slow) {
      this.slow = slow;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRequest> stream) {
      if (slow) {
        stream.disableAutoRequestWithInitial(1);
      }
    }

    @Override
    public void onNext(ConfigMapWatchEvent value) {
      events.add(value);
    }

    @Override
    public void onError(Throwable t) {
      closed.set(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      closed.set(Status.OK);
    }
  }

  private Collector watch(WatchRequest request, boolean slow) {
    Collector c = new Collector(slow);
    ConfigMapsGrpc.newStub(cluster.channel()).watch(request, c);
    return c;
  }

  @Test
  void watchesOlderThanTheRingAreOutOfRange() {
    String ns = namespace();
    String first = create(ns, "c0").getMetadata().getResourceVersion();
    for (int i = 1; i <= RING + 5; i++) {
      create(ns, "c" + i);
    }
    Collector c = watch(WatchRequest.newBuilder().setResourceVersion(first).build(), false);
    await().atMost(Duration.ofSeconds(10)).until(() -> c.closed.get() != null);
    assertThat(c.closed.get().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
    assertThat(c.closed.get().getDescription()).startsWith("too old resource version: " + first);
  }

  @Test
  void aSlowWatcherIsCutOffWithoutHoldingBackTheOthers() {
    String ns = namespace();
    Collector slow = watch(WatchRequest.newBuilder().setNamespace(ns).build(), true);
    Collector fast = watch(WatchRequest.newBuilder().setNamespace(ns).build(), false);
    await().atMost(Duration.ofSeconds(5)).until(() -> cluster.apiServer().watchCache(dev.skiff.client.api.Kinds.CONFIG_MAP)
        .watcherCount() >= 2);
    int n = QUEUE * 3;
    for (int i = 0; i < n; i++) {
      create(ns, "c" + i);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> fast.events.size() == n);
    await().atMost(Duration.ofSeconds(10)).until(() -> slow.closed.get() != null);
    assertThat(slow.closed.get().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(slow.closed.get().getDescription()).contains("fell behind").contains("list again");
    assertThat(fast.closed.get()).isNull();
  }

  @Test
  void oneStoreWatchFansOutToAThousandWatchers() {
    String ns = namespace();
    List<Collector> watchers = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      watchers.add(watch(WatchRequest.newBuilder().setNamespace(ns).build(), false));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> cluster.apiServer().watchCache(dev.skiff.client.api.Kinds.CONFIG_MAP)
        .watcherCount() >= 1000);
    for (int i = 0; i < 5; i++) {
      create(ns, "c" + i);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> watchers.stream().allMatch(w -> w.events.size() == 5));
    assertThat(watchers).allSatisfy(w -> assertThat(w.events).extracting(e -> e.getObject().getMetadata().getName())
        .containsExactly("c0", "c1", "c2", "c3", "c4"));
  }

  @Test
  void bookmarksCarryTheCacheRevision() {
    String ns = namespace();
    Collector c = watch(WatchRequest.newBuilder().setNamespace(ns).setAllowBookmarks(true).build(), false);
    Collector plain = watch(WatchRequest.newBuilder().setNamespace(ns).build(), false);
    String rv = create(ns, "c").getMetadata().getResourceVersion();
    await().atMost(Duration.ofSeconds(5)).until(() -> c.events.size() == 1 && plain.events.size() == 1);
    cluster.apiServer().sendBookmarks();
    await().atMost(Duration.ofSeconds(5)).until(() -> c.events.size() == 2);
    ConfigMapWatchEvent bookmark = c.events.get(1);
    assertThat(bookmark.getType()).isEqualTo(WatchEventType.BOOKMARK);
    assertThat(Long.parseLong(bookmark.getObject().getMetadata().getResourceVersion())).isGreaterThanOrEqualTo(Long.parseLong(rv));
    assertThat(plain.events).hasSize(1);
  }

  @Test
  void listsAtAResourceVersionAreServedFromTheCacheOnceItCaughtUp() {
    String ns = namespace();
    String rv = create(ns, "a").getMetadata().getResourceVersion();
    ConfigMapList fromCache = configMaps.list(ListRequest.newBuilder().setNamespace(ns).setResourceVersion(rv).build());
    assertThat(fromCache.getItemsList()).extracting(m -> m.getMetadata().getName()).containsExactly("a");
    assertThat(Long.parseLong(fromCache.getMetadata().getResourceVersion())).isGreaterThanOrEqualTo(Long.parseLong(rv));
    create(ns, "b");
    create(ns, "c");
    ConfigMapList page = configMaps.list(ListRequest.newBuilder().setNamespace(ns).setResourceVersion("0").setLimit(2).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> configMaps.list(ListRequest.newBuilder().setNamespace(ns)
        .setResourceVersion("0").build()).getItemsCount() == 3);
    page = configMaps.list(ListRequest.newBuilder().setNamespace(ns).setResourceVersion("0").setLimit(2).build());
    assertThat(page.getItemsCount()).isEqualTo(2);
    ConfigMapList rest = configMaps.list(ListRequest.newBuilder().setNamespace(ns)
        .setContinue(page.getMetadata().getContinue()).build());
    assertThat(rest.getItemsList()).extracting(m -> m.getMetadata().getName()).containsExactly("c");
    try {
      configMaps.withDeadlineAfter(10, TimeUnit.SECONDS).list(ListRequest.newBuilder().setResourceVersion("999999999").build());
      throw new AssertionError("a resourceVersion beyond the store must fail");
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }
  }
  /** Records what a watcher sends, in place of a gRPC stream. */
  private static final class RecordingSink implements WatchSink {
    final List<EncodedEvent> sent = new CopyOnWriteArrayList<>();

    @Override
    public boolean send(EncodedEvent event) {
      sent.add(event);
      return true;
    }

    @Override
    public void close(dev.skiff.apiserver.errors.ApiError error) {}
  }

  @Test
  void oneChangeIsSerializedOnceForAllItsWatchers() throws Exception {
    String ns = namespace();
    WatchCache<ConfigMap> cache = cluster.apiServer().watchCache(Kinds.CONFIG_MAP);
    long from = Long.parseLong(create(ns, "before").getMetadata().getResourceVersion());
    List<RecordingSink> sinks = List.of(new RecordingSink(), new RecordingSink(), new RecordingSink());
    List<CacheWatcher<ConfigMap>> watchers = new ArrayList<>();
    for (RecordingSink sink : sinks) {
      watchers.add(cache.watch(from, cm -> cm.getMetadata().getNamespace().equals(ns), false, sink));
    }
    ConfigMap created = create(ns, "shared");
    await().atMost(10, TimeUnit.SECONDS).until(() -> sinks.stream().allMatch(s -> s.sent.size() == 1));
    EncodedEvent first = sinks.get(0).sent.get(0);
    for (RecordingSink sink : sinks) {
      assertThat(sink.sent.get(0)).isSameAs(first);
    }
    ConfigMapWatchEvent decoded = ConfigMapWatchEvent.parseFrom(first.bytes());
    assertThat(decoded.getType()).isEqualTo(WatchEventType.ADDED);
    assertThat(decoded.getObject()).isEqualTo(created);
    watchers.forEach(CacheWatcher::close);
  }
}
