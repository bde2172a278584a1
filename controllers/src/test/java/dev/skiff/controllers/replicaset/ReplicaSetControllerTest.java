package dev.skiff.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.OwnerReference;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.api.v1.ReplicaSetCondition;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.ownership.OwnerRefs;
import dev.skiff.controllers.pods.Pods;
import dev.skiff.controllers.testing.Harness;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicaSetControllerTest {
  static final Map<String, String> WEB = Map.of("app", "web");
  Harness h;
  ReplicaSetController rsc;

  @BeforeEach
  void setUp() {
    h = Harness.start();
    h.objects().namespace("ns");
    rsc = new ReplicaSetController(h.ctx());
    h.startInformers();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private List<Pod> owned(ReplicaSet rs) {
    return h.objects().activePods("ns").stream()
        .filter(p -> OwnerRefs.isControlledBy(p.getMetadata(), rs.getMetadata().getUid())).toList();
  }

  private ReplicaSet live(String name) {
    return h.client().resource(Kinds.REPLICA_SET).get("ns", name);
  }

  private void scale(String name, int replicas) {
    ReplicaSet rs = live(name);
    h.client().resource(Kinds.REPLICA_SET).update(rs.toBuilder().setSpec(rs.getSpec().toBuilder().setReplicas(replicas)).build());
  }

  @Test
  void createsPodsFromTheTemplateWithControllerReferencesAndGeneratedNames() {
    ReplicaSet rs = h.objects().replicaSet("ns", "web", 3, WEB);
    h.settle(() -> owned(rs).size() == 3 && live("web").getStatus().getReplicas() == 3, rsc.loop());
    for (Pod p : owned(rs)) {
      assertThat(p.getMetadata().getName()).matches("web-[bcdfghjklmnpqrstvwxz2456789]{5}");
      assertThat(p.getMetadata().getLabelsMap()).containsAllEntriesOf(WEB);
      OwnerReference ref = OwnerRefs.controllerOf(p.getMetadata()).orElseThrow();
      assertThat(ref.getKind()).isEqualTo("ReplicaSet");
      assertThat(ref.getName()).isEqualTo("web");
      assertThat(ref.getBlockOwnerDeletion()).isTrue();
    }
    assertThat(live("web").getStatus().getObservedGeneration()).isEqualTo(live("web").getMetadata().getGeneration());
  }

  @Test
  void repeatedSyncsBeforeTheWatchCatchesUpNeverOverCreate() throws Exception {
    ReplicaSet rs = h.objects().replicaSet("ns", "web", 5, WEB);
    h.settle(() -> h.ctx().informers().informerFor(Kinds.REPLICA_SET).lister().get("ns/web").isPresent());
    String key = "ns/web";
    for (int i = 0; i < 5; i++) {
      rsc.reconcile(key); // back to back: the informer has not shown the new pods yet
    }
    h.settle(() -> live("web").getStatus().getReplicas() == 5, rsc.loop());
    assertThat(owned(rs)).hasSize(5);
    assertThat(h.objects().pods("ns")).hasSize(5);
  }

  @Test
  void scaleDownDeletesNotReadyPodsFirst() {
    ReplicaSet rs = h.objects().replicaSet("ns", "web", 3, WEB);
    h.settle(() -> owned(rs).size() == 3, rsc.loop());
    List<Pod> pods = owned(rs);
    h.objects().markReady(pods.get(0));
    h.objects().markReady(pods.get(1));
    h.settle(() -> live("web").getStatus().getReadyReplicas() == 2, rsc.loop());
    scale("web", 2);
    h.settle(() -> owned(rs).size() == 2 && live("web").getStatus().getReplicas() == 2, rsc.loop());
    assertThat(owned(rs)).allMatch(Pods::isReady);
    scale("web", 0);
    h.settle(() -> owned(rs).isEmpty() && live("web").getStatus().getReplicas() == 0, rsc.loop());
  }

  @Test
  void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
    Pod orphan = h.objects().pod("ns", "orphan", WEB);
    h.objects().pod("ns", "stranger", Map.of("app", "db"));
    ReplicaSet rs = h.objects().replicaSet("ns", "web", 2, WEB);
    h.settle(() -> owned(rs).size() == 2, rsc.loop());
    assertThat(h.objects().names(owned(rs))).contains("orphan");
    assertThat(h.objects().pods("ns")).hasSize(3); // adopted one, created one, left the stranger alone

    Pod adopted = h.client().resource(Kinds.POD).get("ns", orphan.getMetadata().getName());
    h.client().resource(Kinds.POD).update(adopted.toBuilder()
        .setMetadata(adopted.getMetadata().toBuilder().putLabels("app", "debug")).build());
    h.settle(() -> owned(rs).size() == 2 && !h.objects().names(owned(rs)).contains("orphan"), rsc.loop());
    Pod released = h.client().resource(Kinds.POD).get("ns", "orphan");
    assertThat(released.getMetadata().getOwnerReferencesList()).isEmpty();
  }

  @Test
  void availableReplicasWaitForMinReadySecondsOnTheClock() {
    ReplicaSet rs = h.objects().replicaSet("ns", "web", 2, WEB);
    ReplicaSet withMinReady = live("web");
    h.client().resource(Kinds.REPLICA_SET).update(withMinReady.toBuilder()
        .setSpec(withMinReady.getSpec().toBuilder().setMinReadySeconds(30)).build());
    h.settle(() -> owned(rs).size() == 2, rsc.loop());
    owned(rs).forEach(h.objects()::markReady);
    h.settle(() -> live("web").getStatus().getReadyReplicas() == 2, rsc.loop());
    assertThat(live("web").getStatus().getAvailableReplicas()).isZero();
    h.clock().advance(Duration.ofSeconds(31));
    h.settle(() -> live("web").getStatus().getAvailableReplicas() == 2, rsc.loop());
  }

  @Test
  void aFailedScaleDownIsReportedAsFailedDeleteNotFailedCreate() {
    AtomicBoolean refuseDeletes = new AtomicBoolean();
    String podDelete = Kinds.POD.method("Delete").getFullMethodName();
    ClientInterceptor refusing = new ClientInterceptor() {
      @Override
      public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        if (!refuseDeletes.get() || !method.getFullMethodName().equals(podDelete)) {
          return next.newCall(method, options);
        }
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
          @Override
          public void start(Listener<A> listener, Metadata headers) {
            listener.onClose(Status.PERMISSION_DENIED.withDescription("pods \"delete\" is forbidden"), new Metadata());
          }

          @Override
          public void sendMessage(Q message) {}

          @Override
          public void halfClose() {}

          @Override
          public void request(int n) {}
        };
      }
    };
    SkiffClient refusingClient = SkiffClient.forChannel(ClientInterceptors.intercept(h.client().channel(), refusing));
    ControllerContext base = h.ctx();
    ReplicaSetController refused = new ReplicaSetController(new ControllerContext(refusingClient,
        base.informers(), base.recorder(), base.clock(), base.config()));
    ReplicaSet rs = h.objects().replicaSet("ns", "web", 2, WEB);
    h.settle(() -> owned(rs).size() == 2 && live("web").getStatus().getReplicas() == 2, refused.loop());

    refuseDeletes.set(true);
    scale("web", 1);
    h.settle(() -> live("web").getStatus().getConditionsList().stream()
        .anyMatch(c -> ReplicaSetStatuses.REPLICA_FAILURE.equals(c.getType())), refused.loop());
    ReplicaSetCondition failure = live("web").getStatus().getConditionsList().stream()
        .filter(c -> ReplicaSetStatuses.REPLICA_FAILURE.equals(c.getType())).findFirst().orElseThrow();
    assertThat(failure.getReason()).isEqualTo("FailedDelete");
    assertThat(failure.getMessage()).contains("forbidden");
    assertThat(owned(rs)).hasSize(2);
  }
}
