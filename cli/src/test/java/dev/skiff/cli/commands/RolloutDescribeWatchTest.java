package dev.skiff.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.DeploymentSpec;
import dev.skiff.api.v1.DeploymentStatus;
import dev.skiff.api.v1.Event;
import dev.skiff.api.v1.EventSource;
import dev.skiff.api.v1.LabelSelector;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.ObjectReference;
import dev.skiff.api.v1.OwnerReference;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.PodTemplateSpec;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.api.v1.ReplicaSetSpec;
import dev.skiff.cli.CliRunner;
import dev.skiff.cli.CliRunner.Result;
import dev.skiff.cli.ClusterFixture;
import dev.skiff.client.api.Kinds;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rollout, describe and get -w against an in-process cluster. No controllers run here: the test
 * plays the Deployment controller by writing status and ReplicaSets itself.
 */
class RolloutDescribeWatchTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  static ClusterFixture cluster;

  @BeforeAll
  static void start() {
    cluster = new ClusterFixture(dir);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static PodTemplateSpec template(String image) {
    return PodTemplateSpec.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().putLabels("app", "web"))
        .setSpec(PodSpec.newBuilder().addContainers(Container.newBuilder().setName("web").setImage(image)))
        .build();
  }

  private static Deployment createDeployment(String ns, String image) {
    return cluster.client().resource(Kinds.DEPLOYMENT).create(Deployment.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("web").setNamespace(ns))
        .setSpec(DeploymentSpec.newBuilder().setReplicas(3)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "web"))
            .setTemplate(template(image)))
        .build());
  }

  private static Deployment writeStatus(String ns, int replicas, int updated, int available) {
    var client = cluster.client().resource(Kinds.DEPLOYMENT);
    Deployment d = client.get(ns, "web");
    return client.updateStatus(d.toBuilder().setStatus(DeploymentStatus.newBuilder()
        .setObservedGeneration(d.getMetadata().getGeneration())
        .setReplicas(replicas).setUpdatedReplicas(updated)
        .setAvailableReplicas(available).setReadyReplicas(available)).build());
  }

  @Test
  void rolloutStatusPrintsProgressUntilRolledOut() throws InterruptedException {
    String ns = cluster.namespace("status");
    createDeployment(ns, "nginx:1");
    writeStatus(ns, 3, 1, 0);

    CliRunner.Running status = cluster.cli().start("rollout", "status", "deployment/web", "-n", ns, "--timeout=60s");
    await().atMost(WAIT).until(() -> status.out().contains("1 out of 3"));
    writeStatus(ns, 4, 3, 1);
    await().atMost(WAIT).until(() -> status.out().contains("pending termination"));
    writeStatus(ns, 3, 3, 1);
    await().atMost(WAIT).until(() -> status.out().contains("1 of 3 updated"));
    writeStatus(ns, 3, 3, 3);
    Result done = status.await(WAIT);

    assertThat(done.exitCode()).isZero();
    assertThat(done.out()).isEqualTo("""
        Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...
        Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...
        Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...
        deployment "web" successfully rolled out
        """);
  }

  @Test
  void rolloutStatusTimesOut() {
    String ns = cluster.namespace("timeout");
    createDeployment(ns, "nginx:1");

    Result r = cluster.cli().run("rollout", "status", "deploy", "web", "-n", ns, "--timeout", "1s");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEqualTo("Waiting for deployment spec update to be observed...\n");
    assertThat(r.err()).isEqualTo("error: timed out waiting for the condition\n");
  }

  @Test
  void historyAndUndoUseTheReplicaSets() {
    String ns = cluster.namespace("history");
    Deployment d = createDeployment(ns, "nginx:2");
    replicaSet(ns, d, "web-111", 1, "nginx:1");
    replicaSet(ns, d, "web-222", 2, "nginx:2");

    Result history = cluster.cli().run("rollout", "history", "deployment/web", "-n", ns);
    Result undo = cluster.cli().run("rollout", "undo", "deployment/web", "-n", ns);
    Deployment after = cluster.client().resource(Kinds.DEPLOYMENT).get(ns, "web");
    Result missing = cluster.cli().run("rollout", "undo", "deployment/web", "-n", ns, "--to-revision=9");
    Result same = cluster.cli().run("rollout", "undo", "deployment/web", "-n", ns, "--to-revision=1");

    assertThat(history.out()).isEqualTo("""
        deployment.apps/web
        REVISION   CHANGE-CAUSE
        1          <none>
        2          <none>
        """);
    assertThat(undo.out()).isEqualTo("deployment.apps/web rolled back\n");
    assertThat(after.getSpec().getTemplate().getSpec().getContainers(0).getImage()).isEqualTo("nginx:1");
    assertThat(after.getSpec().getTemplate().getMetadata().getLabelsMap()).doesNotContainKey("pod-template-hash");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("error: unable to find specified revision 9 in history\n");
    assertThat(same.out()).isEqualTo(
        "deployment.apps/web skipped rollback (current template already matches revision 1)\n");
  }

  @Test
  void pauseResumeRestart() {
    String ns = cluster.namespace("pause");
    createDeployment(ns, "nginx:1");
    var client = cluster.client().resource(Kinds.DEPLOYMENT);

    assertThat(cluster.cli().run("rollout", "pause", "deployment/web", "-n", ns).out())
        .isEqualTo("deployment.apps/web paused\n");
    assertThat(client.get(ns, "web").getSpec().getPaused()).isTrue();
    assertThat(cluster.cli().run("rollout", "pause", "deployment/web", "-n", ns).err())
        .isEqualTo("error: deployments.apps \"web\" is already paused\n");
    assertThat(cluster.cli().run("rollout", "resume", "deployment/web", "-n", ns).out())
        .isEqualTo("deployment.apps/web resumed\n");
    assertThat(client.get(ns, "web").getSpec().getPaused()).isFalse();
    Instant at = Instant.parse("2026-11-22T01:02:03Z");
    assertThat(cluster.cliAt(at).run("rollout", "restart", "deployment/web", "-n", ns).out())
        .isEqualTo("deployment.apps/web restarted\n");
    assertThat(client.get(ns, "web").getSpec().getTemplate().getMetadata().getAnnotationsMap())
        .containsEntry("kubectl.kubernetes.io/restartedAt", "2026-11-22T01:02:03Z");
  }

  @Test
  void describeShowsFieldsAndRelatedEvents() {
    String ns = cluster.namespace("describe");
    Deployment d = createDeployment(ns, "nginx:1.14.2");
    Instant now = Instant.now();
    cluster.client().resource(Kinds.EVENT).create(Event.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("web.1").setNamespace(ns))
        .setInvolvedObject(ObjectReference.newBuilder().setKind("Deployment").setName("web")
            .setNamespace(ns).setUid(d.getMetadata().getUid()))
        .setType("Normal").setReason("ScalingReplicaSet").setMessage("Scaled up replica set web-111 to 3")
        .setSource(EventSource.newBuilder().setComponent("deployment-controller"))
        .setCount(1)
        .setLastTimestamp(Timestamp.newBuilder().setSeconds(now.getEpochSecond() - 30))
        .build());

    Result r = cluster.cliAt(now).run("describe", "deployment", "web", "-n", ns);

    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("Name:               web\n")
        .contains("Namespace:          describe\n")
        .contains("Replicas:           3 desired | 0 updated | 0 total | 0 available | 0 unavailable\n")
        .containsPattern("\n +Image: +nginx:1.14.2\n")
        .endsWith("""
            Events:
              Type     Reason              Age    From                    Message
              ----     ------              ----   ----                    -------
              Normal   ScalingReplicaSet   30s    deployment-controller   Scaled up replica set web-111 to 3
            """);
  }

  @Test
  void describeWithoutEventsSaysNone() {
    String ns = cluster.namespace("quiet");
    cluster.client().resource(Kinds.CONFIG_MAP).create(ConfigMap.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("cfg").setNamespace(ns)).putData("k", "v").build());

    Result r = cluster.cli().run("describe", "cm/cfg", "-n", ns);

    assertThat(r.out()).startsWith("Name:               cfg\nNamespace:          quiet\n")
        .contains("data:\n  k: v\n").endsWith("Events:             <none>\n");
  }

  @Test
  void getWatchPrintsRowsAsObjectsChange() throws InterruptedException {
    String ns = cluster.namespace("watch");
    CliRunner.Running watch = cluster.cli().start("get", "configmaps", "-n", ns, "-w", "-o", "name");

    await().atMost(WAIT).pollDelay(Duration.ofMillis(200)).until(() -> {
      // keep creating until the watch has started: the first object may predate it
      cluster.client().resource(Kinds.CONFIG_MAP).find(ns, "first").orElseGet(() ->
          cluster.client().resource(Kinds.CONFIG_MAP).create(ConfigMap.newBuilder()
              .setMetadata(ObjectMeta.newBuilder().setName("first").setNamespace(ns)).build()));
      return watch.out().contains("configmap/first");
    });
    cluster.client().resource(Kinds.CONFIG_MAP).create(ConfigMap.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("second").setNamespace(ns)).build());
    await().atMost(WAIT).until(() -> watch.out().contains("configmap/second\n"));
    Result r = watch.stop();

    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEmpty();
  }

  private static void replicaSet(String ns, Deployment owner, String name, long revision, String image) {
    PodTemplateSpec t = template(image);
    t = t.toBuilder().setMetadata(t.getMetadata().toBuilder().putLabels("pod-template-hash", name.substring(4))).build();
    cluster.client().resource(Kinds.REPLICA_SET).create(ReplicaSet.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace(ns)
            .putAnnotations("deployment.kubernetes.io/revision", String.valueOf(revision))
            .addOwnerReferences(OwnerReference.newBuilder().setApiVersion("apps/v1").setKind("Deployment")
                .setName(owner.getMetadata().getName()).setUid(owner.getMetadata().getUid()).setController(true)))
        .setSpec(ReplicaSetSpec.newBuilder().setReplicas(0)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "web")
                .putMatchLabels("pod-template-hash", name.substring(4)))
            .setTemplate(t))
        .build());
  }
}
