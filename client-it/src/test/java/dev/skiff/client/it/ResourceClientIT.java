package dev.skiff.client.it;

import static dev.skiff.client.it.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodList;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.api.Kinds;
import io.grpc.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The typed client against the real API server: round trips and the error contract. */
class ResourceClientIT {
  private static InProcessCluster cluster;
  private static ResourceClient<Pod, PodList> pods;

  @BeforeAll
  static void start() {
    cluster = InProcessCluster.start();
    Fixtures.createNamespace(cluster.client(), "rc");
    pods = cluster.client().resource(Kinds.POD);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void roundTripsAndConflicts() {
    Pod created = pods.create(pod("rc", "web", ""));
    assertThat(created.getMetadata().getUid()).isNotEmpty();
    assertThat(pods.get("rc", "web")).isEqualTo(created);
    assertThat(pods.find("rc", "missing")).isEmpty();
    assertThat(pods.list("rc").getItemsList()).extracting(p -> p.getMetadata().getName()).contains("web");

    Pod labelled = pods.patch("rc", "web", "{\"metadata\":{\"labels\":{\"app\":\"web\"}}}");
    assertThat(labelled.getMetadata().getLabelsMap()).containsEntry("app", "web");
    assertThatThrownBy(() -> pods.update(created.toBuilder()
        .setMetadata(created.getMetadata().toBuilder().putLabels("stale", "yes")).build()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.ABORTED));

    pods.delete("rc", "web");
    assertThatThrownBy(() -> pods.get("rc", "web"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isNotFound()).isTrue());
  }

  @Test
  void validationErrorsNameEachBadField() {
    Pod bad = pod("rc", "bad", "").toBuilder()
        .setSpec(pod("rc", "bad", "").getSpec().toBuilder().clearContainers()).build();
    assertThatThrownBy(() -> pods.create(bad))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.violations()).extracting(v -> v.getField()).contains("spec.containers");
          assertThat(e.getMessage()).contains("spec.containers");
        });
    pods.create(pod("rc", "twice", ""));
    assertThatThrownBy(() -> pods.create(pod("rc", "twice", "")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.isAlreadyExists()).isTrue());
  }
}
