package dev.skiff.client.it;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodSpec;
import dev.skiff.client.ApiException;
import dev.skiff.client.SkiffClient;
import dev.skiff.client.api.Kinds;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Objects and helpers shared by the integration tests. */
final class Fixtures {
  private Fixtures() {}

  static void createNamespace(SkiffClient client, String name) {
    try {
      client.resource(Kinds.NAMESPACE).create(Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName(name)).build());
    } catch (ApiException e) {
      if (!e.isAlreadyExists()) {
        throw e;
      }
    }
  }

  static Pod pod(String namespace, String name, String nodeName) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(name))
        .setSpec(PodSpec.newBuilder().setNodeName(nodeName)
            .addContainers(Container.newBuilder().setName("main").setImage("registry.local/busybox:1")))
        .build();
  }

  static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20));
  }
}
