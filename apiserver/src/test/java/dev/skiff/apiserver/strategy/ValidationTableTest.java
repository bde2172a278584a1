package dev.skiff.apiserver.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.api.v1.PodStatus;
import dev.skiff.api.v1.Service;
import dev.skiff.api.v1.Toleration;
import dev.skiff.apiserver.errors.FieldError;
import dev.skiff.apiserver.errors.Violations;
import dev.skiff.apiserver.registry.MergePatch;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.api.ResourceKind;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Validation as a table over real manifests from the Kubernetes documentation: each row takes a
 * manifest, optionally breaks it with a JSON merge patch, and names every field path that must
 * be reported (none: the object is valid).
 */
class ValidationTableTest {

  static Stream<Arguments> table() {
    return Stream.of(
        row("nginx-deployment.yaml", Kinds.DEPLOYMENT, "{}"),
        row("my-service.yaml", Kinds.SERVICE, "{}"),
        row("game-demo-configmap.yaml", Kinds.CONFIG_MAP, "{}"),
        row("frontend-pod.yaml", Kinds.POD, "{}"),
        row("frontend-replicaset.yaml", Kinds.REPLICA_SET, "{}"),
        // Deployments
        row("nginx-deployment.yaml", Kinds.DEPLOYMENT,
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\"}]}}}}",
            "spec.template.spec.containers[0].image"),
        row("nginx-deployment.yaml", Kinds.DEPLOYMENT,
            "{\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"other\"}}}}", "spec.template.metadata.labels"),
        row("nginx-deployment.yaml", Kinds.DEPLOYMENT, "{\"spec\":{\"selector\":null}}", "spec.selector"),
        row("nginx-deployment.yaml", Kinds.DEPLOYMENT,
            "{\"spec\":{\"strategy\":{\"rollingUpdate\":{\"maxSurge\":\"0\",\"maxUnavailable\":\"0%\"}}}}",
            "spec.strategy.rollingUpdate.maxUnavailable"),
        row("nginx-deployment.yaml", Kinds.DEPLOYMENT,
            "{\"spec\":{\"replicas\":-1,\"strategy\":{\"type\":\"BlueGreen\"}}}", "spec.replicas", "spec.strategy.type"),
        row("nginx-deployment.yaml", Kinds.DEPLOYMENT,
            "{\"metadata\":{\"name\":\"Nginx_Deployment\",\"labels\":{\"bad key!\":\"x\"}}}",
            "metadata.name", "metadata.labels"),
        row("nginx-deployment.yaml", Kinds.DEPLOYMENT,
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx\","
                + "\"ports\":[{\"containerPort\":70000,\"protocol\":\"HTTP\"}]},{\"name\":\"nginx\",\"image\":\"x\"}]}}}}",
            "spec.template.spec.containers[0].ports[0].containerPort",
            "spec.template.spec.containers[0].ports[0].protocol", "spec.template.spec.containers[1].name"),
        row("nginx-deployment.yaml", Kinds.DEPLOYMENT,
            "{\"spec\":{\"template\":{\"spec\":{\"restartPolicy\":\"Sometimes\"}}}}",
            "spec.template.spec.restartPolicy"),
        // Pods
        row("frontend-pod.yaml", Kinds.POD,
            "{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"app\",\"resources\":"
                + "{\"requests\":{\"cpu\":\"2\",\"memory\":\"1Gi\"},\"limits\":{\"cpu\":\"500m\",\"memory\":\"2Gi\"}}}]}}",
            "spec.containers[0].resources.requests[cpu]"),
        row("frontend-pod.yaml", Kinds.POD,
            "{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"app\",\"resources\":{\"limits\":{\"cpu\":\"lots\"}}}]}}",
            "spec.containers[0].resources.limits[cpu]"),
        row("frontend-pod.yaml", Kinds.POD, "{\"spec\":{\"containers\":[]}}", "spec.containers"),
        row("frontend-pod.yaml", Kinds.POD,
            "{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"app\",\"volumeMounts\":[{\"name\":\"data\",\"mountPath\":\"/d\"}],"
                + "\"env\":[{\"name\":\"1BAD\"}],\"imagePullPolicy\":\"Sometimes\"}]}}",
            "spec.containers[0].volumeMounts[0].name", "spec.containers[0].env[0].name",
            "spec.containers[0].imagePullPolicy"),
        // ReplicaSets
        row("frontend-replicaset.yaml", Kinds.REPLICA_SET,
            "{\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"tier\":\"backend\"}}}}}", "spec.template.metadata.labels"),
        // Services
        row("my-service.yaml", Kinds.SERVICE, "{\"spec\":{\"ports\":[{\"port\":0,\"protocol\":\"ICMP\"}]}}",
            "spec.ports[0].port", "spec.ports[0].protocol", "spec.ports[0].targetPort"),
        row("my-service.yaml", Kinds.SERVICE, "{\"spec\":{\"ports\":[{\"port\":80},{\"port\":81}],\"type\":\"Magic\"}}",
            "spec.ports[0].name", "spec.ports[1].name", "spec.type"),
        // ConfigMaps: metadata rules apply to every kind
        row("game-demo-configmap.yaml", Kinds.CONFIG_MAP,
            "{\"metadata\":{\"name\":\"-bad-\",\"ownerReferences\":[{\"kind\":\"X\"}]}}",
            "metadata.name", "metadata.ownerReferences[0].apiVersion", "metadata.ownerReferences[0].name",
            "metadata.ownerReferences[0].uid"));
  }

  private static Arguments row(String manifest, ResourceKind<?, ?> kind, String patch, String... fields) {
    return Arguments.of(manifest + " " + patch, manifest, kind, patch, List.of(fields));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void reportsExactlyTheBrokenFields(String label, String manifest, ResourceKind<?, ?> kind, String patch,
                                     List<String> expected) {
    assertThat(violations(manifest, kind, patch)).containsExactlyInAnyOrderElementsOf(expected);
  }

  private static <T extends Message> List<String> violations(String manifest, ResourceKind<T, ?> kind, String patch) {
    T obj = MergePatch.apply(Manifests.read(manifest, kind), patch);
    if (kind.namespaced()) {
      obj = kind.withMeta(obj, kind.meta(obj).toBuilder().setNamespace("default").build());
    }
    Strategy<T> strategy = Strategies.forKind(kind);
    Violations v = new Violations();
    strategy.validate(strategy.prepareForCreate(obj), v);
    return v.list().stream().map(FieldError::field).distinct().toList();
  }

  @Test
  void aNewPodStartsPendingWithDefaultsAndKeepsWhatItSetItself() {
    Toleration everything = Toleration.newBuilder().setOperator("Exists").build();
    Pod in = Pod.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("p").setNamespace("default"))
        .setStatus(PodStatus.newBuilder().setPhase("Running").setHostIp("10.0.0.1"))
        .setSpec(PodSpec.newBuilder().setRestartPolicy("Never").addTolerations(everything)
            .addContainers(Container.newBuilder().setName("a").setImage("busybox:1.36"))
            .addContainers(Container.newBuilder().setName("b").setImage("busybox").setImagePullPolicy("Never")
                .setTerminationMessagePath("/t").setTerminationMessagePolicy("File")))
        .build();
    Pod out = Strategies.forKind(Kinds.POD).prepareForCreate(in);
    assertThat(out.getApiVersion()).isEqualTo("v1");
    assertThat(out.getKind()).isEqualTo("Pod");
    assertThat(out.getStatus()).isEqualTo(PodStatus.newBuilder().setPhase("Pending").build());
    assertThat(out.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(out.getSpec().getTolerationsList()).containsExactly(everything); // already tolerates not-ready
    assertThat(out.getSpec().getContainers(0).getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(out.getSpec().getContainers(0).getTerminationMessagePath()).isEqualTo("/dev/termination-log");
    assertThat(out.getSpec().getContainers(1)).isEqualTo(in.getSpec().getContainers(1));
    assertThat(out.getMetadata()).isEqualTo(in.getMetadata());
  }

  @Test
  void theNginxDeploymentGetsKubernetesDefaults() {
    Deployment d = Strategies.forKind(Kinds.DEPLOYMENT)
        .prepareForCreate(Manifests.read("nginx-deployment.yaml", Kinds.DEPLOYMENT));
    assertThat(d.getKind()).isEqualTo("Deployment");
    assertThat(d.getApiVersion()).isEqualTo("apps/v1");
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
    assertThat(d.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge()).isEqualTo("25%");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo("25%");
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Always");
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(30);
    assertThat(pod.getDnsPolicy()).isEqualTo("ClusterFirst");
    assertThat(pod.getSchedulerName()).isEqualTo("default-scheduler");
    assertThat(pod.getContainers(0).getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(pod.getContainers(0).getPorts(0).getProtocol()).isEqualTo("TCP");
    assertThat(pod.getTolerationsList()).isEmpty(); // the default tolerations are for pods, not templates
  }

  @Test
  void serviceDefaultsFollowKubernetes() {
    Service s = Strategies.forKind(Kinds.SERVICE).prepareForCreate(Manifests.read("my-service.yaml", Kinds.SERVICE));
    assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(s.getSpec().getSessionAffinity()).isEqualTo("None");
    assertThat(s.getSpec().getPorts(0).getTargetPort()).isEqualTo("9376");
    Service noTarget = Strategies.forKind(Kinds.SERVICE).prepareForCreate(Service.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setName("s"))
        .setSpec(dev.skiff.api.v1.ServiceSpec.newBuilder().addPorts(dev.skiff.api.v1.ServicePort.newBuilder().setPort(8080)))
        .build());
    assertThat(noTarget.getSpec().getPorts(0).getTargetPort()).isEqualTo("8080");
    assertThat(noTarget.getSpec().getPorts(0).getProtocol()).isEqualTo("TCP");
  }

  @Test
  void pullPolicyDependsOnTheTag() {
    assertThat(PodSpecRules.pullPolicyFor("nginx")).isEqualTo("Always");
    assertThat(PodSpecRules.pullPolicyFor("nginx:latest")).isEqualTo("Always");
    assertThat(PodSpecRules.pullPolicyFor("localhost:5000/busybox")).isEqualTo("Always");
    assertThat(PodSpecRules.pullPolicyFor("localhost:5000/busybox:1.36")).isEqualTo("IfNotPresent");
    assertThat(PodSpecRules.pullPolicyFor("nginx@sha256:abc")).isEqualTo("IfNotPresent");
  }
}
