package dev.skiff.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.client.api.Kinds;
import dev.skiff.controllers.serviceaccount.ServiceAccountController;
import dev.skiff.controllers.WorkLoop;
import dev.skiff.controllers.testing.Harness;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NamespaceControllerTest {
  Harness h;
  WorkLoop namespaces;
  WorkLoop accounts;

  @BeforeEach
  void setUp() {
    h = Harness.start();
    namespaces = new NamespaceController(h.ctx()).loop();
    accounts = new ServiceAccountController(h.ctx()).loop();
    h.startInformers();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  void everyActiveNamespaceGetsADefaultServiceAccountAgainAfterItsDeletion() {
    h.objects().namespace("team");
    h.settle(() -> h.client().resource(Kinds.SERVICE_ACCOUNT).find("team", "default").isPresent(), accounts);
    h.client().resource(Kinds.SERVICE_ACCOUNT).delete("team", "default");
    h.settle(() -> h.client().resource(Kinds.SERVICE_ACCOUNT).find("team", "default").isPresent(), accounts);
  }

  @Test
  void deletingANamespaceDeletesEverythingInItThenTheNamespace() {
    h.objects().namespace("team");
    h.objects().namespace("other");
    h.client().resource(Kinds.CONFIG_MAP).create(ConfigMap.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("team").setName("cfg")).build());
    h.client().resource(Kinds.CONFIG_MAP).create(ConfigMap.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("other").setName("cfg")).build());
    h.objects().replicaSet("team", "web", 0, Map.of("app", "web"));
    h.objects().pod("team", "loose", Map.of("app", "web"));
    h.settle(() -> h.client().resource(Kinds.SERVICE_ACCOUNT).find("team", "default").isPresent(), accounts);

    h.client().resource(Kinds.NAMESPACE).delete("", "team");
    assertThat(h.client().resource(Kinds.NAMESPACE).get("", "team").getStatus().getPhase()).isEqualTo("Terminating");
    h.settle(() -> {
      h.clock().advance(Duration.ofSeconds(1)); // the controller re-checks a namespace still emptying every second
      return h.client().resource(Kinds.NAMESPACE).find("", "team").isEmpty();
    }, namespaces, accounts);
    assertThat(h.client().resource(Kinds.CONFIG_MAP).list("team").getItemsList()).isEmpty();
    assertThat(h.client().resource(Kinds.POD).list("team").getItemsList()).isEmpty();
    assertThat(h.client().resource(Kinds.CONFIG_MAP).find("other", "cfg")).isPresent();
  }
}
