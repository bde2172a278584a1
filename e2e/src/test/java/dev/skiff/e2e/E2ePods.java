package dev.skiff.e2e;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.ContainerStatus;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodSpec;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;

/** Pods of the end-to-end tests (busybox from the local registry) and what they check on them. */
final class E2ePods {
  static final String IMAGE = "localhost:5000/busybox:1.35";

  private E2ePods() {}

  static Container busybox(String name, String script) {
    return Container.newBuilder().setName(name).setImage(IMAGE).setImagePullPolicy("IfNotPresent")
        .addCommand("sh").addCommand("-c").addCommand(script).build();
  }

  static Pod pod(String name, Container c) {
    return Pod.newBuilder().setApiVersion("v1").setKind("Pod")
        .setMetadata(ObjectMeta.newBuilder().setName(name).setNamespace(E2eCluster.NAMESPACE))
        .setSpec(PodSpec.newBuilder().setTerminationGracePeriodSeconds(1).addContainers(c))
        .build();
  }

  static boolean ready(Pod p) {
    return p.getStatus().getConditionsList().stream()
        .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  /** The first container's status (empty before the agent reported one). */
  static ContainerStatus cs(Pod p) {
    return p.getStatus().getContainerStatusesCount() == 0
        ? ContainerStatus.getDefaultInstance() : p.getStatus().getContainerStatuses(0);
  }

  /** GET http://ip/ (no proxy, short timeouts): the body. */
  static String http(String ip) throws Exception {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://" + ip + "/").toURL().openConnection(Proxy.NO_PROXY);
    c.setConnectTimeout(1000);
    c.setReadTimeout(2000);
    try {
      return new String(c.getInputStream().readAllBytes());
    } finally {
      c.disconnect();
    }
  }
}
