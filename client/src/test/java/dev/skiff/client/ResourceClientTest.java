package dev.skiff.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.api.v1.ListRequest;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.WatchEventType;
import dev.skiff.api.v1.WatchRequest;
import dev.skiff.client.api.Kinds;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static dev.skiff.client.TestPods.pod;
import static org.awaitility.Awaitility.await;

class ResourceClientTest {
  private FakeApiServer server;
  private ManagedChannel channel;
  private ResourceClient<Pod, dev.skiff.api.v1.PodList> pods;

  @BeforeEach
  void setUp() throws Exception {
    server = new FakeApiServer(List.of(Kinds.POD, Kinds.NODE)).start();
    channel = server.newChannel();
    SkiffClient client = SkiffClient.forChannel(channel, ClientOptions.defaults()
        .withRetryPolicy(new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5), 2)));
    pods = client.resource(Kinds.POD);
    assertThat(client.resource(Kinds.POD)).isSameAs(pods);
  }

  @AfterEach
  void tearDown() {
    channel.shutdownNow();
    server.close();
  }

  @Test
  void createGetFindListUpdateDelete() {
    Pod created = pods.create(pod("default", "web", ""));
    assertThat(created.getMetadata().getResourceVersion()).isNotEmpty();
    assertThat(created.getKind()).isEqualTo("Pod");
    assertThat(pods.get("default", "web")).isEqualTo(created);
    assertThat(pods.find("default", "nope")).isEmpty();
    pods.create(pod("other", "db", ""));
    assertThat(pods.list("").getItemsList()).hasSize(2);
    assertThat(pods.list("other").getItemsList()).extracting(p -> p.getMetadata().getName()).containsExactly("db");

    Pod bound = pods.update(created.toBuilder().setSpec(PodSpec.newBuilder().setNodeName("n1")).build());
    assertThat(bound.getSpec().getNodeName()).isEqualTo("n1");
    assertThat(pods.list(ListRequest.newBuilder().setFieldSelector("spec.nodeName=n1").build()).getItemsList())
        .containsExactly(bound);

    Pod deleted = pods.delete("default", "web");
    assertThat(deleted.getMetadata().getName()).isEqualTo("web");
    assertThat(pods.find("default", "web")).isEmpty();
  }

  @Test
  void clusterScopedKindsUseEmptyNamespace() {
    var nodes = SkiffClient.forChannel(channel).resource(Kinds.NODE);
    nodes.create(Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("n1")).build());
    assertThat(nodes.get("", "n1").getMetadata().getName()).isEqualTo("n1");
  }

  @Test
  void errorsCarryCodeMessageAndFieldViolations() {
    pods.create(pod("default", "web", ""));
    assertThatThrownBy(() -> pods.create(pod("default", "web", "")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.ALREADY_EXISTS);
          assertThat(e.isAlreadyExists()).isTrue();
          assertThat(e.getMessage()).isEqualTo("ALREADY_EXISTS: pods \"web\" already exists");
        });
    assertThatThrownBy(() -> pods.get("default", "nope"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isNotFound()).isTrue());
    assertThatThrownBy(() -> pods.create(pod("", "", "")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.violations()).extracting(v -> v.getField()).containsExactly("metadata.name", "metadata.namespace");
          assertThat(e.getMessage()).contains("metadata.name: name or generateName is required");
        });
  }

  @Test
  void staleUpdateIsAConflict() {
    Pod v1 = pods.create(pod("default", "web", ""));
    pods.update(v1.toBuilder().setSpec(PodSpec.newBuilder().setNodeName("a")).build());
    assertThatThrownBy(() -> pods.update(v1.toBuilder().setSpec(PodSpec.newBuilder().setNodeName("b")).build()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isConflict()).isTrue());
  }

  @Test
  void patchMergesJson() {
    pods.create(pod("default", "web", ""));
    Pod patched = pods.patch("default", "web", "{\"metadata\":{\"labels\":{\"app\":\"web\"}}}");
    assertThat(patched.getMetadata().getLabelsMap()).containsEntry("app", "web");
  }

  @Test
  void idempotentReadsAreRetriedOnUnavailableButCreateIsNot() {
    pods.create(pod("default", "web", ""));
    server.failNext("Get", Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE);
    assertThat(pods.get("default", "web").getMetadata().getName()).isEqualTo("web");
    assertThat(server.calls("Get")).isEqualTo(3);

    server.failNext("List", Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE, Status.Code.UNAVAILABLE);
    assertThatThrownBy(() -> pods.list("")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThat(server.calls("List")).as("3 attempts, then give up").isEqualTo(3);

    server.failNext("Get", Status.Code.INTERNAL);
    assertThatThrownBy(() -> pods.get("default", "web")).isInstanceOf(ApiException.class);
    assertThat(server.calls("Get")).as("INTERNAL is not retried").isEqualTo(4);

    server.failNext("Create", Status.Code.UNAVAILABLE);
    assertThatThrownBy(() -> pods.create(pod("default", "db", ""))).isInstanceOf(ApiException.class);
    assertThat(server.calls("Create")).isEqualTo(2);
  }

  @Test
  void callsRefusedAsTooManyRequestsAreRetriedMutatingOrNotButOtherExhaustionIsNot() {
    server.throttleNext("Create", 2);
    assertThat(pods.create(pod("default", "web", "")).getMetadata().getName()).isEqualTo("web");
    assertThat(server.calls("Create")).as("nothing was done by a refused call: safe to retry").isEqualTo(3);

    server.throttleNext("Get", 11);
    assertThatThrownBy(() -> pods.get("default", "web")).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(server.calls("Get")).as("client-go's 10 retries, then give up").isEqualTo(11);

    server.failNext("Update", Status.Code.RESOURCE_EXHAUSTED);
    assertThatThrownBy(() -> pods.update(pods.get("default", "web"))).isInstanceOf(ApiException.class);
    assertThat(server.calls("Update")).as("no retry-after: not a refusal, not retried").isEqualTo(1);
  }

  @Test
  void everyUnaryCallHasADeadline() throws Exception {
    // A server that never answers: the call must end with DEADLINE_EXCEEDED after the configured timeout.
    String name = "silent-" + System.nanoTime();
    var silent = io.grpc.inprocess.InProcessServerBuilder.forName(name)
        .fallbackHandlerRegistry(new io.grpc.HandlerRegistry() {
          @Override
          public io.grpc.ServerMethodDefinition<?, ?> lookupMethod(String method, String authority) {
            @SuppressWarnings("unchecked")
            var md = (io.grpc.MethodDescriptor<Object, Object>) Kinds.POD.method("Get");
            return io.grpc.ServerMethodDefinition.create(md, io.grpc.stub.ServerCalls.asyncUnaryCall((req, out) -> { }));
          }
        }).build().start();
    ManagedChannel ch = io.grpc.inprocess.InProcessChannelBuilder.forName(name).build();
    try {
      var client = SkiffClient.forChannel(ch, ClientOptions.defaults().withCallTimeout(Duration.ofMillis(200)));
      long start = System.nanoTime();
      assertThatThrownBy(() -> client.resource(Kinds.POD).get("default", "x"))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    } finally {
      ch.shutdownNow();
      silent.shutdownNow();
    }
  }

  @Test
  void watchDeliversEventsInOrderAndCloseEndsIt() {
    Pod a = pods.create(pod("default", "a", ""));
    List<String> seen = new CopyOnWriteArrayList<>();
    AtomicInteger closed = new AtomicInteger();
    Watch watch = pods.watch(WatchRequest.newBuilder().setResourceVersion(a.getMetadata().getResourceVersion()).build(),
        new WatchListener<>() {
          @Override
          public void onEvent(WatchEventType type, Pod object) {
            seen.add(type + " " + object.getMetadata().getName());
          }

          @Override
          public void onError(Throwable t) {
            seen.add("error " + t);
          }

          @Override
          public void onClosed() {
            closed.incrementAndGet();
          }
        });
    pods.create(pod("default", "b", ""));
    pods.delete("default", "a");
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertThat(seen).containsExactly("ADDED b", "DELETED a");
    watch.close();
    assertThat(closed).hasValue(1);
    pods.create(pod("default", "c", ""));
    assertThat(seen).hasSize(2);
  }

  @Test
  void closeWhileAnEventIsBeingDeliveredEndsTheStreamAfterIt() throws Exception {
    Pod a = pods.create(pod("default", "a", ""));
    List<String> seen = new CopyOnWriteArrayList<>();
    CountDownLatch inEvent = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Watch watch = pods.watch(WatchRequest.newBuilder().setResourceVersion(a.getMetadata().getResourceVersion()).build(),
        new WatchListener<>() {
          @Override
          public void onEvent(WatchEventType type, Pod object) {
            inEvent.countDown();
            try {
              release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            seen.add(type + " " + object.getMetadata().getName());
          }

          @Override
          public void onError(Throwable t) {
            seen.add("error");
          }

          @Override
          public void onClosed() {
            seen.add("closed");
          }
        });
    pods.create(pod("default", "b", ""));
    assertThat(inEvent.await(5, TimeUnit.SECONDS)).isTrue();
    Thread closer = Thread.ofPlatform().start(watch::close);
    // the closer either returned at once or waits for the event in flight
    await().atMost(Duration.ofSeconds(5)).until(() -> closer.getState() != Thread.State.RUNNABLE
        && closer.getState() != Thread.State.NEW);
    release.countDown();
    closer.join(5000);
    await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() == 2);
    assertThat(seen).containsExactly("ADDED b", "closed");
  }

  @Test
  void watchFromCompactedVersionFailsOutOfRange() {
    Pod a = pods.create(pod("default", "a", ""));
    pods.create(pod("default", "b", ""));
    server.compact();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    pods.watch(WatchRequest.newBuilder().setResourceVersion(a.getMetadata().getResourceVersion()).build(),
        new WatchListener<>() {
          @Override
          public void onEvent(WatchEventType type, Pod object) {}

          @Override
          public void onError(Throwable t) {
            errors.add(t);
          }

          @Override
          public void onClosed() {}
        });
    await().atMost(Duration.ofSeconds(5)).until(() -> !errors.isEmpty());
    assertThat(errors.getFirst()).isInstanceOfSatisfying(ApiException.class,
        e -> assertThat(e.code()).isEqualTo(Status.Code.OUT_OF_RANGE));
  }
}
