package dev.skiff.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.rpc.BadRequest;
import dev.skiff.api.v1.Binding;
import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.GetRequest;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.NamespacesGrpc;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.ObjectReference;
import dev.skiff.api.v1.PatchRequest;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodList;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.PodWatchEvent;
import dev.skiff.api.v1.PodsGrpc;
import dev.skiff.api.v1.WatchEventType;
import dev.skiff.api.v1.WatchRequest;
import dev.skiff.apiserver.testing.InProcessCluster;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The registry's behaviour through the gRPC API, run against each store implementation by a
 * subclass (Skiff's Raft store, Debian's etcd).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RegistryContractTest {
  private static final AtomicInteger SEQ = new AtomicInteger();
  protected InProcessCluster cluster;
  private PodsGrpc.PodsBlockingStub pods;
  private NamespacesGrpc.NamespacesBlockingStub namespaces;

  protected abstract InProcessCluster newCluster() throws Exception;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = newCluster();
    pods = PodsGrpc.newBlockingStub(cluster.channel());
    namespaces = NamespacesGrpc.newBlockingStub(cluster.channel());
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private String newNamespace() {
    String ns = "ns" + SEQ.incrementAndGet() + "-" + getClass().getSimpleName().toLowerCase().substring(0, 5);
    namespaces.create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(ns)).build());
    return ns;
  }

  static Pod pod(String ns, String name, String... labels) {
    ObjectMeta.Builder m = ObjectMeta.newBuilder().setNamespace(ns).setName(name);
    for (int i = 0; i + 1 < labels.length; i += 2) {
      m.putLabels(labels[i], labels[i + 1]);
    }
    return Pod.newBuilder().setMetadata(m)
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("c").setImage("busybox:1.36")))
        .build();
  }

  private static Status.Code code(Runnable r) {
    try {
      r.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void createFillsServerFieldsAndDefaults() {
    String ns = newNamespace();
    Pod created = pods.create(pod(ns, "web"));
    assertThat(created.getKind()).isEqualTo("Pod");
    assertThat(created.getApiVersion()).isEqualTo("v1");
    assertThat(created.getMetadata().getUid()).isNotEmpty();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1);
    assertThat(created.getMetadata().hasCreationTimestamp()).isTrue();
    assertThat(Long.parseLong(created.getMetadata().getResourceVersion())).isPositive();
    assertThat(created.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(created.getSpec().getRestartPolicy()).isEqualTo("Always");
    assertThat(created.getSpec().getSchedulerName()).isEqualTo("default-scheduler");
    assertThat(created.getSpec().getContainers(0).getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(created.getSpec().getTolerationsList()).extracting("key")
        .contains("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");
    assertThat(pods.get(GetRequest.newBuilder().setNamespace(ns).setName("web").build())).isEqualTo(created);
    assertThat(code(() -> pods.create(pod(ns, "web")))).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(code(() -> pods.get(GetRequest.newBuilder().setNamespace(ns).setName("nope").build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void staleUpdatesAreAbortedWithAClearMessage() {
    String ns = newNamespace();
    Pod created = pods.create(pod(ns, "web"));
    Pod first = created.toBuilder().setMetadata(created.getMetadata().toBuilder().putLabels("a", "1")).build();
    Pod updated = pods.update(first);
    assertThat(updated.getMetadata().getResourceVersion()).isNotEqualTo(created.getMetadata().getResourceVersion());
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(1); // labels are not spec
    Pod stale = created.toBuilder().setMetadata(created.getMetadata().toBuilder().putLabels("b", "2")).build();
    assertThatThrownBy(() -> pods.update(stale))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
          assertThat(e.getStatus().getDescription()).contains("the object has been modified; please apply your "
              + "changes to the latest version and try again");
        });
  }

  @Test
  void updateKeepsStatusAndUpdateStatusKeepsSpec() {
    String ns = newNamespace();
    Pod created = pods.create(pod(ns, "web"));
    Pod withStatus = created.toBuilder().setStatus(created.getStatus().toBuilder().setPhase("Running"))
        .setSpec(created.getSpec().toBuilder().setContainers(0, created.getSpec().getContainers(0).toBuilder().setImage("evil")))
        .build();
    Pod afterStatus = pods.updateStatus(withStatus);
    assertThat(afterStatus.getStatus().getPhase()).isEqualTo("Running");
    assertThat(afterStatus.getSpec().getContainers(0).getImage()).isEqualTo("busybox:1.36");
    assertThat(afterStatus.getMetadata().getGeneration()).isEqualTo(1);
    Pod specChange = afterStatus.toBuilder()
        .setSpec(afterStatus.getSpec().toBuilder().setContainers(0, afterStatus.getSpec().getContainers(0).toBuilder().setImage("busybox:1.37")))
        .setStatus(afterStatus.getStatus().toBuilder().setPhase("Failed")).build();
    Pod afterUpdate = pods.update(specChange);
    assertThat(afterUpdate.getStatus().getPhase()).isEqualTo("Running");
    assertThat(afterUpdate.getSpec().getContainers(0).getImage()).isEqualTo("busybox:1.37");
    assertThat(afterUpdate.getMetadata().getGeneration()).isEqualTo(2);
  }

  @Test
  void namespacesMustExistAndNotBeTerminating() {
    assertThat(code(() -> pods.create(pod("missing-ns", "web")))).isEqualTo(Status.Code.NOT_FOUND);
    String ns = newNamespace();
    Namespace deleting = namespaces.delete(DeleteRequest.newBuilder().setName(ns).build());
    assertThat(deleting.getStatus().getPhase()).isEqualTo("Terminating");
    assertThat(deleting.getMetadata().hasDeletionTimestamp()).isTrue();
    assertThatThrownBy(() -> pods.create(pod(ns, "web")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).contains("because it is being terminated");
        });
    // the namespace controller's job: drop the finalizer, then the namespace goes away
    Namespace current = namespaces.get(GetRequest.newBuilder().setName(ns).build());
    namespaces.update(current.toBuilder().setSpec(current.getSpec().toBuilder().clearFinalizers()).build());
    assertThat(code(() -> namespaces.get(GetRequest.newBuilder().setName(ns).build()))).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void selectorsFilterLists() {
    String ns = newNamespace();
    pods.create(pod(ns, "a", "app", "web", "tier", "front"));
    pods.create(pod(ns, "b", "app", "web", "tier", "back"));
    pods.create(pod(ns, "c", "app", "db"));
    assertThat(names(list(ns, "app=web", ""))).containsExactly("a", "b");
    assertThat(names(list(ns, "app!=web", ""))).containsExactly("c");
    assertThat(names(list(ns, "tier in (front,middle)", ""))).containsExactly("a");
    assertThat(names(list(ns, "tier notin (front)", ""))).containsExactly("b", "c");
    assertThat(names(list(ns, "tier", ""))).containsExactly("a", "b");
    assertThat(names(list(ns, "!tier", ""))).containsExactly("c");
    assertThat(names(list(ns, "", "metadata.name=b"))).containsExactly("b");
    assertThat(names(list(ns, "", "status.phase=Pending,metadata.name!=a"))).containsExactly("b", "c");
    assertThat(names(list("", "", "metadata.namespace=" + ns))).containsExactly("a", "b", "c");
    assertThat(code(() -> list(ns, "", "spec.bogus=1"))).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(() -> list(ns, "a in (", ""))).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  private PodList list(String ns, String labels, String fields) {
    return pods.list(ListRequest.newBuilder().setNamespace(ns).setLabelSelector(labels).setFieldSelector(fields).build());
  }

  private static List<String> names(PodList l) {
    return l.getItemsList().stream().map(p -> p.getMetadata().getName()).toList();
  }

  @Test
  void pagesAreConsistentWhileObjectsChange() {
    String ns = newNamespace();
    for (int i = 0; i < 25; i++) {
      pods.create(pod(ns, String.format("p%02d", i)));
    }
    PodList page = pods.list(ListRequest.newBuilder().setNamespace(ns).setLimit(10).build());
    assertThat(page.getItemsCount()).isEqualTo(10);
    assertThat(page.getMetadata().getContinue()).isNotEmpty();
    assertThat(page.getMetadata().getRemainingItemCount()).isEqualTo(15);
    List<String> seen = new ArrayList<>(names(page));
    pods.delete(DeleteRequest.newBuilder().setNamespace(ns).setName("p20").build());
    pods.create(pod(ns, "p99"));
    while (!page.getMetadata().getContinue().isEmpty()) {
      page = pods.list(ListRequest.newBuilder().setNamespace(ns).setLimit(10)
          .setContinue(page.getMetadata().getContinue()).build());
      seen.addAll(names(page));
    }
    assertThat(seen).hasSize(25).contains("p20").doesNotContain("p99");
    assertThat(new HashSet<>(seen)).hasSize(25);
    assertThat(names(list(ns, "", ""))).hasSize(25).contains("p99").doesNotContain("p20");
  }

  @Test
  void watchResumedFromTheLastSeenVersionHasNoGapOrDuplicate() throws Exception {
    String ns = newNamespace();
    String start = pods.create(pod(ns, "w0")).getMetadata().getResourceVersion();
    List<String> seen = new CopyOnWriteArrayList<>();
    String[] lastRv = {start};
    Context.CancellableContext first = Context.current().withCancellation();
    Thread reader = Thread.ofVirtual().start(() -> first.run(() -> {
      try {
        Iterator<PodWatchEvent> it = pods.watch(WatchRequest.newBuilder().setNamespace(ns).setResourceVersion(start).build());
        while (it.hasNext()) {
          PodWatchEvent e = it.next();
          seen.add(e.getType() + " " + e.getObject().getMetadata().getName());
          lastRv[0] = e.getObject().getMetadata().getResourceVersion();
        }
      } catch (StatusRuntimeException ignored) {
        // cancelled below
      }
    }));
    pods.create(pod(ns, "w1"));
    pods.create(pod(ns, "w2"));
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
    first.cancel(null);
    reader.join();
    pods.create(pod(ns, "w3"));
    pods.delete(DeleteRequest.newBuilder().setNamespace(ns).setName("w1").build());
    Iterator<PodWatchEvent> resumed = pods.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
        .watch(WatchRequest.newBuilder().setNamespace(ns).setResourceVersion(lastRv[0]).build());
    seen.add(resumed.next().getType() + " " + "w3");
    PodWatchEvent deleted = resumed.next();
    seen.add(deleted.getType() + " " + deleted.getObject().getMetadata().getName());
    assertThat(seen).containsExactly("ADDED w1", "ADDED w2", "ADDED w3", "DELETED w1");
  }

  @Test
  void watchFiltersTellWhenAnObjectStopsMatching() {
    String ns = newNamespace();
    Pod a = pods.create(pod(ns, "a", "app", "web"));
    Iterator<PodWatchEvent> it = pods.withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
        .watch(WatchRequest.newBuilder().setNamespace(ns).setLabelSelector("app=web").build());
    assertThat(it.next().getType()).isEqualTo(WatchEventType.ADDED);
    pods.update(a.toBuilder().setMetadata(a.getMetadata().toBuilder().putLabels("app", "db")).build());
    PodWatchEvent e = it.next();
    assertThat(e.getType()).isEqualTo(WatchEventType.DELETED);
    assertThat(e.getObject().getMetadata().getLabelsMap()).containsEntry("app", "db");
  }

  @Test
  void boundPodsAreDeletedGracefullyAndFinalizersHoldObjects() {
    String ns = newNamespace();
    pods.create(pod(ns, "web"));
    Pod bound = pods.bind(Binding.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("web"))
        .setTarget(ObjectReference.newBuilder().setKind("Node").setName("n1")).build());
    assertThat(bound.getSpec().getNodeName()).isEqualTo("n1");
    assertThat(bound.getStatus().getConditionsList()).extracting("type").contains("PodScheduled");
    assertThatThrownBy(() -> pods.bind(Binding.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("web"))
        .setTarget(ObjectReference.newBuilder().setName("n2")).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).contains("already assigned to node \"n1\"");
        });
    Pod terminating = pods.delete(DeleteRequest.newBuilder().setNamespace(ns).setName("web").build());
    assertThat(terminating.getMetadata().hasDeletionTimestamp()).isTrue();
    assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30);
    assertThat(code(() -> pods.get(GetRequest.newBuilder().setNamespace(ns).setName("web").build()))).isEqualTo(Status.Code.OK);
    pods.delete(DeleteRequest.newBuilder().setNamespace(ns).setName("web").setGracePeriodSeconds(0).build());
    assertThat(code(() -> pods.get(GetRequest.newBuilder().setNamespace(ns).setName("web").build()))).isEqualTo(Status.Code.NOT_FOUND);

    Pod held = pods.create(pod(ns, "held").toBuilder()
        .setMetadata(pod(ns, "held").getMetadata().toBuilder().addFinalizers("example.com/keep")).build());
    Pod marked = pods.delete(DeleteRequest.newBuilder().setNamespace(ns).setName("held").setPropagationPolicy("Foreground").build());
    assertThat(marked.getMetadata().getFinalizersList()).containsExactly("example.com/keep", "foregroundDeletion");
    assertThat(code(() -> pods.update(marked.toBuilder().setMetadata(marked.getMetadata().toBuilder().addFinalizers("new")).build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    pods.update(marked.toBuilder().setMetadata(marked.getMetadata().toBuilder().clearFinalizers()).build());
    assertThat(code(() -> pods.get(GetRequest.newBuilder().setNamespace(ns).setName("held").build()))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(held.getMetadata().getFinalizersList()).containsExactly("example.com/keep");
  }

  @Test
  void deletePreconditionsAreChecked() {
    String ns = newNamespace();
    Pod p = pods.create(pod(ns, "web"));
    assertThat(code(() -> pods.delete(DeleteRequest.newBuilder().setNamespace(ns).setName("web")
        .setPreconditions(dev.skiff.api.v1.Preconditions.newBuilder().setUid("other")).build())))
        .isEqualTo(Status.Code.ABORTED);
    pods.delete(DeleteRequest.newBuilder().setNamespace(ns).setName("web")
        .setPreconditions(dev.skiff.api.v1.Preconditions.newBuilder().setResourceVersion(p.getMetadata().getResourceVersion())).build());
  }

  @Test
  void patchMergesIntoTheCurrentObject() {
    String ns = newNamespace();
    pods.create(pod(ns, "web", "app", "web", "old", "x"));
    Pod patched = pods.patch(PatchRequest.newBuilder().setNamespace(ns).setName("web")
        .setPatch("{\"metadata\":{\"labels\":{\"tier\":\"front\",\"old\":null}},\"status\":{\"phase\":\"Running\"}}").build());
    assertThat(patched.getMetadata().getLabelsMap()).containsOnly(java.util.Map.entry("app", "web"), java.util.Map.entry("tier", "front"));
    assertThat(patched.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(code(() -> pods.patch(PatchRequest.newBuilder().setNamespace(ns).setName("web").setPatch("{bad").build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void invalidObjectsListEveryViolation() {
    String ns = newNamespace();
    Pod bad = Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setNamespace(ns).setName("Bad_Name"))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("c"))
            .addContainers(Container.newBuilder().setName("c").setImage("x"))).build();
    assertThatThrownBy(() -> pods.create(bad)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      Set<String> fields = new HashSet<>();
      for (var any : StatusProto.fromThrowable(e).getDetailsList()) {
        try {
          any.unpack(BadRequest.class).getFieldViolationsList().forEach(v -> fields.add(v.getField()));
        } catch (Exception ex) {
          throw new AssertionError(ex);
        }
      }
      assertThat(fields).contains("metadata.name", "spec.containers[0].image", "spec.containers[1].name");
      assertThat(e.getStatus().getDescription()).startsWith("Pod \"Bad_Name\" is invalid: [");
    });
  }
}
