package dev.skiff.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodList;
import dev.skiff.api.v1.Preconditions;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.strategy.Strategies;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.etcd.EtcdClient;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Creates and deletes through a registry whose watch cache is a hand-written stand-in that
 * answers whatever copy a test gave it, stale or not, over a real store; every store call is
 * recorded. A delete starts from the cached copy (no read) and a stale copy loses the
 * compare-and-swap, after which the delete is judged again on the store's object.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WritesFromTheCacheTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private final HeldCopies cache = new HeldCopies();
  private final StoreCalls calls = new StoreCalls();
  private InProcessCluster cluster;
  private Registry<Pod, PodList> pods;

  @BeforeAll
  void start() {
    cluster = InProcessCluster.start();
    Registry<Namespace, ?> namespaces = cluster.apiServer().registry(Kinds.NAMESPACE);
    EtcdClient store = EtcdClient.forChannel(ClientInterceptors.intercept(cluster.storeChannel(), calls));
    pods = new Registry<>(Kinds.POD, Strategies.forKind(Kinds.POD), store, Clock.systemUTC(),
        new NamespaceGuard(null, new WrittenRevision(), name -> namespaces.find("", name)), cache);
  }

  @AfterAll
  void stop() {
    cluster.close();
  }

  @BeforeEach
  void clear() {
    cache.copies.clear();
  }

  private String newNamespace() {
    String ns = "cache-" + SEQ.incrementAndGet();
    cluster.apiServer().registry(Kinds.NAMESPACE)
        .create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(ns)).build());
    return ns;
  }

  private Pod created(String ns, String name) {
    Pod pod = pods.create(RegistryContractTest.pod(ns, name));
    cache.copies.put(ns + "/" + name, pod);
    return pod;
  }

  private Pod labelled(Pod pod, String value) {
    ObjectMeta m = pod.getMetadata();
    return pods.update(pod.toBuilder().setMetadata(m.toBuilder().putLabels("v", value)).build());
  }

  private boolean exists(String ns, String name) {
    return pods.find(ns, name).isPresent();
  }

  @Test
  void theCreateReplyBuiltFromTheStoredBytesIsTheStoredObject() throws Exception {
    String ns = newNamespace();
    StoredObject<Pod> stored = pods.createStored(RegistryContractTest.pod(ns, "web"));
    byte[] reply = pods.codec().encodeWithResourceVersion(stored.value(), stored.revision());
    assertThat(reply).startsWith(stored.value().toByteArray());
    assertThat(Pod.parser().parseFrom(reply)).isEqualTo(pods.get(ns, "web"))
        .isEqualTo(pods.codec().withResourceVersion(stored.object(), stored.revision()));
  }

  @Test
  void deleteOfACachedCopyWritesWithoutReadingTheStore() {
    String ns = newNamespace();
    Pod pod = created(ns, "web");
    calls.methods.clear();
    Pod last = pods.delete(DeleteRequest.newBuilder().setNamespace(ns).setName("web").build());
    assertThat(calls.methods).containsExactly("Txn");
    assertThat(last).isEqualTo(pod);
    assertThat(exists(ns, "web")).isFalse();
  }

  @Test
  void deleteOfAStaleCopyRetriesOnTheObjectTheFailedWriteReturned() {
    String ns = newNamespace();
    Pod stale = created(ns, "web");
    Pod now = labelled(stale, "2");
    calls.methods.clear();
    Pod last = pods.delete(DeleteRequest.newBuilder().setNamespace(ns).setName("web").build());
    assertThat(calls.methods).containsExactly("Txn", "Txn");
    assertThat(last).isEqualTo(now);
    assertThat(exists(ns, "web")).isFalse();
  }

  @Test
  void preconditionsThatFailOnAStaleCopyAreJudgedAgainOnTheStoresObject() {
    String ns = newNamespace();
    Pod stale = created(ns, "web");
    Pod now = labelled(stale, "2");
    Preconditions current = Preconditions.newBuilder().setResourceVersion(now.getMetadata().getResourceVersion()).build();
    pods.delete(DeleteRequest.newBuilder().setNamespace(ns).setName("web").setPreconditions(current).build());
    assertThat(exists(ns, "web")).isFalse();

    Pod other = created(ns, "other");
    labelled(other, "2");
    Preconditions old = Preconditions.newBuilder().setResourceVersion(other.getMetadata().getResourceVersion()).build();
    assertThatThrownBy(() -> pods.delete(DeleteRequest.newBuilder().setNamespace(ns).setName("other")
        .setPreconditions(old).build()))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(Status.Code.ABORTED));
    assertThat(exists(ns, "other")).isTrue();
  }

  @Test
  void aPodBoundSinceItWasCachedIsDeletedGracefully() {
    String ns = newNamespace();
    created(ns, "web"); // cached unbound: would be deleted at once
    pods.guaranteedUpdate(ns, "web", 0, p -> p.toBuilder().setSpec(p.getSpec().toBuilder().setNodeName("n1")).build(), false);
    Pod last = pods.delete(DeleteRequest.newBuilder().setNamespace(ns).setName("web").build());
    assertThat(last.getMetadata().hasDeletionTimestamp()).isTrue();
    assertThat(last.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30);
    assertThat(exists(ns, "web")).isTrue();
  }

  @Test
  void aDeleteOfAnObjectGoneSinceItWasCachedIsNotFound() {
    String ns = newNamespace();
    created(ns, "web");
    cluster.apiServer().registry(Kinds.POD).delete(DeleteRequest.newBuilder().setNamespace(ns).setName("web").build());
    assertThatThrownBy(() -> pods.delete(DeleteRequest.newBuilder().setNamespace(ns).setName("web").build()))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND));
  }

  /** A watch cache that holds exactly the copies a test puts in it, however stale. */
  private static final class HeldCopies implements CacheReader<Pod> {
    final Map<String, Pod> copies = new ConcurrentHashMap<>();

    @Override
    public Optional<Snapshot<Pod>> snapshot(long minRevision, Duration wait) {
      return Optional.empty();
    }

    @Override
    public long revision() {
      return 0; // read by the namespace guard only, which this registry's guard does not consult
    }

    @Override
    public Optional<Pod> peek(String key) {
      return Optional.ofNullable(copies.get(key));
    }
  }

  /** Records the bare name of every store call (Range, Txn, ...). */
  private static final class StoreCalls implements ClientInterceptor {
    final List<String> methods = new CopyOnWriteArrayList<>();

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
      methods.add(method.getBareMethodName());
      return next.newCall(method, options);
    }
  }
}
