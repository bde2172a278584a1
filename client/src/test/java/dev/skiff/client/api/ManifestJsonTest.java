package dev.skiff.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.Secret;
import dev.skiff.api.v1.Service;
import dev.skiff.api.v1.ServicePort;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Manifests from the Kubernetes documentation, converted YAML → JSON by hand (no edits), parse
 * into our messages with the strict proto3 JSON parser (unknown fields are errors).
 */
class ManifestJsonTest {

  private static <T extends Message> T parse(String json, T prototype) throws Exception {
    Message.Builder builder = prototype.newBuilderForType();
    JsonFormat.parser().merge(json, builder);
    @SuppressWarnings("unchecked")
    T message = (T) builder.build();
    return message;
  }

  /** kubernetes.io/docs/concepts/workloads/controllers/deployment/ (controllers/nginx-deployment.yaml). */
  private static final String NGINX_DEPLOYMENT = """
      {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
          "name": "nginx-deployment",
          "labels": {"app": "nginx"}
        },
        "spec": {
          "replicas": 3,
          "selector": {"matchLabels": {"app": "nginx"}},
          "template": {
            "metadata": {"labels": {"app": "nginx"}},
            "spec": {
              "containers": [
                {
                  "name": "nginx",
                  "image": "nginx:1.14.2",
                  "ports": [{"containerPort": 80}]
                }
              ]
            }
          }
        }
      }
      """;

  /** kubernetes.io/docs/concepts/services-networking/service/ (Defining a Service). */
  private static final String MY_SERVICE = """
      {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "my-service"},
        "spec": {
          "selector": {"app.kubernetes.io/name": "MyApp"},
          "ports": [{"protocol": "TCP", "port": 80, "targetPort": 9376}]
        }
      }
      """;

  /** kubernetes.io/docs/concepts/configuration/configmap/ (the game-demo ConfigMap). */
  private static final String GAME_DEMO_CONFIG_MAP = """
      {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "game-demo"},
        "data": {
          "player_initial_lives": "3",
          "ui_properties_file_name": "user-interface.properties",
          "game.properties": "enemy.types=aliens,monsters\\nplayer.maximum-lives=5\\n",
          "user-interface.properties": "color.good=purple\\ncolor.bad=yellow\\nallow.textmode=true\\n"
        }
      }
      """;

  /** kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/ */
  private static final String LIVENESS_HTTP_POD = """
      {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"labels": {"test": "liveness"}, "name": "liveness-http"},
        "spec": {
          "containers": [
            {
              "name": "liveness",
              "image": "registry.k8s.io/e2e-test-images/agnhost:2.40",
              "args": ["liveness"],
              "livenessProbe": {
                "httpGet": {
                  "path": "/healthz",
                  "port": 8080,
                  "httpHeaders": [{"name": "Custom-Header", "value": "Awesome"}]
                },
                "initialDelaySeconds": 3,
                "periodSeconds": 3
              }
            }
          ]
        }
      }
      """;

  @Test
  void nginxDeployment() throws Exception {
    Deployment d = parse(NGINX_DEPLOYMENT, Deployment.getDefaultInstance());
    assertThat(d.getApiVersion()).isEqualTo("apps/v1");
    assertThat(d.getKind()).isEqualTo("Deployment");
    assertThat(d.getMetadata().getName()).isEqualTo("nginx-deployment");
    assertThat(d.getMetadata().getLabelsMap()).containsEntry("app", "nginx");
    assertThat(d.getSpec().hasReplicas()).isTrue();
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(d.getSpec().getSelector().getMatchLabelsMap()).containsEntry("app", "nginx");
    Container c = d.getSpec().getTemplate().getSpec().getContainers(0);
    assertThat(c.getName()).isEqualTo("nginx");
    assertThat(c.getImage()).isEqualTo("nginx:1.14.2");
    assertThat(c.getPorts(0).getContainerPort()).isEqualTo(80);
    // The selector matches the template's labels, as the apiserver will check.
    assertThat(LabelSelectors.fromMessage(d.getSpec().getSelector())
        .matches(d.getSpec().getTemplate().getMetadata().getLabelsMap())).isTrue();
  }

  @Test
  void unsetOptionalFieldsStayUnset() throws Exception {
    Deployment d = parse(NGINX_DEPLOYMENT.replace("\"replicas\": 3,", ""),
        Deployment.getDefaultInstance());
    assertThat(d.getSpec().hasReplicas()).isFalse();
    Deployment zero = parse(NGINX_DEPLOYMENT.replace("\"replicas\": 3", "\"replicas\": 0"),
        Deployment.getDefaultInstance());
    assertThat(zero.getSpec().hasReplicas()).isTrue();
    assertThat(zero.getSpec().getReplicas()).isZero();
  }

  @Test
  void serviceWithANumericTargetPort() throws Exception {
    Service s = parse(MY_SERVICE, Service.getDefaultInstance());
    assertThat(s.getSpec().getSelectorMap()).containsEntry("app.kubernetes.io/name", "MyApp");
    ServicePort port = s.getSpec().getPorts(0);
    assertThat(port.getProtocol()).isEqualTo("TCP");
    assertThat(port.getPort()).isEqualTo(80);
    // IntOrString as a proto string: JsonFormat accepts the JSON number and keeps its digits.
    assertThat(port.getTargetPort()).isEqualTo("9376");
    Service named = parse(MY_SERVICE.replace("9376", "\"http-web\""), Service.getDefaultInstance());
    assertThat(named.getSpec().getPorts(0).getTargetPort()).isEqualTo("http-web");
  }

  @Test
  void configMapWithMultiLineValues() throws Exception {
    ConfigMap cm = parse(GAME_DEMO_CONFIG_MAP, ConfigMap.getDefaultInstance());
    assertThat(cm.getMetadata().getName()).isEqualTo("game-demo");
    assertThat(cm.getDataMap())
        .containsEntry("player_initial_lives", "3")
        .containsEntry("ui_properties_file_name", "user-interface.properties")
        .containsEntry("game.properties", "enemy.types=aliens,monsters\nplayer.maximum-lives=5\n")
        .containsEntry("user-interface.properties",
            "color.good=purple\ncolor.bad=yellow\nallow.textmode=true\n");
  }

  @Test
  void podWithAnHttpProbeOnANumericPort() throws Exception {
    Pod pod = parse(LIVENESS_HTTP_POD, Pod.getDefaultInstance());
    var probe = pod.getSpec().getContainers(0).getLivenessProbe();
    assertThat(probe.getHttpGet().getPort()).isEqualTo("8080");
    assertThat(probe.getHttpGet().getHttpHeaders(0).getValue()).isEqualTo("Awesome");
    assertThat(probe.getInitialDelaySeconds()).isEqualTo(3);
    assertThat(probe.getPeriodSeconds()).isEqualTo(3);
    assertThat(probe.hasFailureThreshold()).isFalse();
  }

  @Test
  void unknownFieldsAreRejected() {
    assertThatThrownBy(() -> parse(MY_SERVICE.replace("\"port\": 80", "\"prot\": 80"),
            Service.getDefaultInstance()))
        .isInstanceOf(InvalidProtocolBufferException.class)
        .hasMessageContaining("prot");
  }

  @Test
  void kubernetesSpellingsOfInitialismsAndQuantitiesAsNumbers() throws Exception {
    String json = """
        {
          "apiVersion": "v1", "kind": "Pod",
          "metadata": {"name": "p", "namespace": "default", "uid": "0b1c",
                       "resourceVersion": "17", "creationTimestamp": "2024-05-01T10:00:00Z",
                       "deletionTimestamp": null,
                       "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                         "name": "rs", "uid": "9a", "controller": true, "blockOwnerDeletion": true}]},
          "spec": {
            "hostPID": true, "hostIPC": false, "setHostnameAsFQDN": true,
            "containers": [{"name": "c", "image": "busybox",
              "ports": [{"containerPort": 53, "hostIP": "10.0.0.1", "protocol": "UDP"}],
              "resources": {"requests": {"cpu": 1, "memory": "64Mi"}, "limits": {"cpu": "1.5"}}}],
            "volumes": [{"name": "d", "downwardAPI": {"items": [
              {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}}],
            "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoExecute",
                             "tolerationSeconds": 0}]
          },
          "status": {"phase": "Running", "hostIP": "10.0.0.1", "hostIPs": [{"ip": "10.0.0.1"}],
            "podIP": "10.244.0.5", "podIPs": [{"ip": "10.244.0.5"}], "qosClass": "Burstable",
            "containerStatuses": [{"name": "c", "ready": true, "restartCount": 0,
              "image": "busybox", "imageID": "sha256:ab", "containerID": "containerd://1",
              "started": true, "state": {"running": {"startedAt": "2024-05-01T10:00:01Z"}},
              "volumeMounts": [{"name": "d", "mountPath": "/etc/podinfo", "readOnly": true,
                                "recursiveReadOnly": "Disabled"}]}]}
        }
        """;
    Pod pod = parse(json, Pod.getDefaultInstance());
    assertThat(pod.getSpec().getHostPid()).isTrue();
    assertThat(pod.getSpec().getSetHostnameAsFqdn()).isTrue();
    assertThat(pod.getSpec().getContainers(0).getPorts(0).getHostIp()).isEqualTo("10.0.0.1");
    assertThat(pod.getSpec().getContainers(0).getResources().getRequestsMap())
        .containsEntry("cpu", "1").containsEntry("memory", "64Mi");
    assertThat(pod.getSpec().getVolumes(0).getDownwardApi().getItems(0).getFieldRef().getFieldPath())
        .isEqualTo("metadata.labels");
    assertThat(pod.getSpec().getTolerations(0).hasTolerationSeconds()).isTrue();
    assertThat(pod.getMetadata().getCreationTimestamp().getSeconds()).isEqualTo(1714557600L);
    assertThat(pod.getMetadata().hasDeletionTimestamp()).isFalse();
    assertThat(pod.getMetadata().getOwnerReferences(0).getController()).isTrue();
    assertThat(pod.getStatus().getPodIpsList()).hasSize(1);
    assertThat(pod.getStatus().getContainerStatuses(0).getContainerId())
        .isEqualTo("containerd://1");

    String printed = JsonFormat.printer().print(pod);
    assertThat(printed).contains("\"hostPID\"", "\"hostIP\"", "\"podIPs\"", "\"imageID\"",
        "\"containerID\"", "\"setHostnameAsFQDN\"", "\"downwardAPI\"", "\"tolerationSeconds\"",
        "\"creationTimestamp\": \"2024-05-01T10:00:00Z\"");
    assertThat(parse(printed, Pod.getDefaultInstance())).isEqualTo(pod);
  }

  @Test
  void nodeStatusUsesKubernetesNames() throws Exception {
    String json = """
        {
          "apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"},
          "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"],
                   "providerID": "skiff://n1",
                   "taints": [{"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule",
                               "timeAdded": "2024-05-01T10:00:00Z"}]},
          "status": {
            "capacity": {"cpu": "4", "memory": "16Gi", "pods": "110"},
            "allocatable": {"cpu": "3800m", "memory": "15Gi", "pods": "110"},
            "conditions": [{"type": "Ready", "status": "True",
                            "lastHeartbeatTime": "2024-05-01T10:00:00Z",
                            "lastTransitionTime": "2024-05-01T09:00:00Z",
                            "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
            "addresses": [{"type": "InternalIP", "address": "192.168.1.10"},
                          {"type": "Hostname", "address": "n1"}],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {"machineID": "m", "systemUUID": "u", "bootID": "b",
                         "kernelVersion": "6.1.0", "osImage": "Debian GNU/Linux 12",
                         "containerRuntimeVersion": "containerd://1.6.20",
                         "kubeletVersion": "skiff-0.1", "kubeProxyVersion": "",
                         "operatingSystem": "linux", "architecture": "amd64"},
            "images": [{"names": ["busybox:latest"], "sizeBytes": 1234567}],
            "runtimeHandlers": [{"name": "runc", "features": {"recursiveReadOnlyMounts": true,
                                                              "userNamespaces": false}}],
            "features": {"supplementalGroupsPolicy": true}
          }
        }
        """;
    Node node = parse(json, Node.getDefaultInstance());
    assertThat(node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort()).isEqualTo(10250);
    assertThat(node.getSpec().getPodCidr()).isEqualTo("10.244.1.0/24");
    assertThat(node.getStatus().getNodeInfo().getMachineId()).isEqualTo("m");
    assertThat(Quantity.parse(node.getStatus().getAllocatableMap().get("cpu")).milliValue())
        .isEqualTo(3800);
    assertThat(JsonFormat.printer().print(node)).contains("\"Port\": 10250", "\"podCIDR\"",
        "\"podCIDRs\"", "\"providerID\"", "\"machineID\"", "\"systemUUID\"", "\"bootID\"");
  }

  @Test
  void secretDataIsBase64LikeKubernetes() throws Exception {
    // kubernetes.io/docs/concepts/configuration/secret/ (dotfile-secret, basic-auth).
    String json = """
        {
          "apiVersion": "v1", "kind": "Secret",
          "metadata": {"name": "secret-basic-auth"},
          "type": "kubernetes.io/basic-auth",
          "data": {"password": "dDBwLVNlY3JldA=="},
          "stringData": {"username": "admin"}
        }
        """;
    Secret secret = parse(json, Secret.getDefaultInstance());
    assertThat(secret.getDataMap().get("password").toString(StandardCharsets.UTF_8))
        .isEqualTo("t0p-Secret");
    assertThat(secret.getStringDataMap()).containsEntry("username", "admin");
    assertThat(JsonFormat.printer().print(secret)).contains("\"password\": \"dDBwLVNlY3JldA==\"");
  }

  @Test
  void rollingUpdateAcceptsNumbersAndPercentages() throws Exception {
    Deployment d = parse(NGINX_DEPLOYMENT.replace("\"replicas\": 3,",
            "\"replicas\": 3, \"strategy\": {\"type\": \"RollingUpdate\","
                + " \"rollingUpdate\": {\"maxSurge\": 1, \"maxUnavailable\": \"25%\"}},"),
        Deployment.getDefaultInstance());
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge()).isEqualTo("1");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable()).isEqualTo("25%");
  }
}
