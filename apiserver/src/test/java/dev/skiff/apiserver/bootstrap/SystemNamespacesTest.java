package dev.skiff.apiserver.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.NamespaceList;
import dev.skiff.apiserver.registry.CacheReader;
import dev.skiff.apiserver.registry.Registry;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.api.Kinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SystemNamespacesTest {
  private InProcessCluster cluster;

  /** A namespace cache that never saw anything: every apiserver of a race believes the namespace is absent. */
  private static final CacheReader<Namespace> EMPTY_CACHE = new CacheReader<>() {
    @Override
    public Optional<Snapshot<Namespace>> snapshot(long minRevision, Duration wait) {
      return Optional.empty();
    }

    @Override
    public long revision() {
      return 0;
    }

    @Override
    public Optional<Namespace> peek(String key) {
      return Optional.empty();
    }
  };

  @BeforeAll
  void start() {
    cluster = InProcessCluster.start();
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  @Test
  void aStartedApiServerServesTheSystemNamespacesOnce() {
    NamespaceList list = cluster.client().resource(Kinds.NAMESPACE).list("");
    List<String> names = list.getItemsList().stream().map(ns -> ns.getMetadata().getName()).toList();
    assertThat(names).containsAll(SystemNamespaces.NAMES);
    assertThat(names).doesNotHaveDuplicates();
    assertThat(cluster.client().resource(Kinds.NAMESPACE).get("", "default").getMetadata().getUid()).isNotEmpty();
  }

  @Test
  void ensureIsANoOpWhenTheCacheHasThem() {
    Registry<Namespace, ?> registry = cluster.apiServer().registry(Kinds.NAMESPACE);
    assertThat(new SystemNamespaces(registry, cluster.apiServer().watchCache(Kinds.NAMESPACE)).ensure()).isZero();
  }

  @Test
  void racingApiServersCreateEachNamespaceExactlyOnceAndNoneFails() throws Exception {
    Registry<Namespace, ?> registry = cluster.apiServer().registry(Kinds.NAMESPACE);
    List<String> names = List.of("race-a", "race-b", "race-c");
    int servers = 4;
    CountDownLatch go = new CountDownLatch(1);
    List<Callable<Integer>> racers = new ArrayList<>();
    for (int i = 0; i < servers; i++) {
      SystemNamespaces bootstrap = new SystemNamespaces(registry, EMPTY_CACHE, names);
      racers.add(() -> {
        go.await();
        return bootstrap.ensure();
      });
    }
    int created = 0;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> results = new ArrayList<>();
      for (Callable<Integer> r : racers) {
        results.add(pool.submit(r));
      }
      go.countDown();
      for (Future<Integer> f : results) {
        created += f.get();
      }
    }
    assertThat(created).isEqualTo(names.size());
    for (String name : names) {
      assertThat(registry.find("", name)).isPresent();
    }
    // A later pass with a stale cache meets ALREADY_EXISTS and creates nothing.
    assertThat(new SystemNamespaces(registry, EMPTY_CACHE, names).ensure()).isZero();
  }
}
