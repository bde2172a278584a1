package dev.skiff.controllers.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.OwnerReference;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.client.api.Kinds;
import dev.skiff.controllers.testing.Harness;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GarbageCollectorTest {
  Harness h;
  GarbageCollector gc;

  @BeforeEach
  void setUp() {
    h = Harness.start();
    h.objects().namespace("ns");
    gc = new GarbageCollector(h.ctx());
    h.startInformers();
  }

  @AfterEach
  void tearDown() {
    h.close();
  }

  private ConfigMap dependent(String name, ReplicaSet owner, boolean block, OwnerReference... more) {
    ObjectMeta.Builder m = ObjectMeta.newBuilder().setNamespace("ns").setName(name)
        .addOwnerReferences(OwnerReference.newBuilder().setApiVersion("apps/v1").setKind("ReplicaSet")
            .setName(owner.getMetadata().getName()).setUid(owner.getMetadata().getUid())
            .setController(true).setBlockOwnerDeletion(block));
    for (OwnerReference r : more) {
      m.addOwnerReferences(r);
    }
    return h.client().resource(Kinds.CONFIG_MAP).create(ConfigMap.newBuilder().setMetadata(m).build());
  }

  private boolean exists(String kind, String name) {
    return switch (kind) {
      case "cm" -> h.client().resource(Kinds.CONFIG_MAP).find("ns", name).isPresent();
      default -> h.client().resource(Kinds.REPLICA_SET).find("ns", name).isPresent();
    };
  }

  private void delete(String rs, String policy) {
    h.client().resource(Kinds.REPLICA_SET).delete(DeleteRequest.newBuilder().setNamespace("ns").setName(rs)
        .setPropagationPolicy(policy).build());
  }

  @Test
  void backgroundDeletionRemovesDependentsOfAGoneOwner() {
    ReplicaSet rs = h.objects().replicaSet("ns", "owner", 0, Map.of("app", "x"));
    dependent("dep", rs, true);
    h.settle(() -> true, gc.loop());
    assertThat(exists("cm", "dep")).isTrue(); // owner alive: kept
    delete("owner", "Background");
    h.settle(() -> !exists("cm", "dep"), gc.loop());
  }

  @Test
  void foregroundDeletionWaitsForBlockingDependents() {
    ReplicaSet rs = h.objects().replicaSet("ns", "owner", 0, Map.of("app", "x"));
    dependent("dep", rs, true);
    delete("owner", "Foreground");
    assertThat(h.client().resource(Kinds.REPLICA_SET).get("ns", "owner").getMetadata().getFinalizersList())
        .contains(GarbageCollector.FOREGROUND);
    h.settle(() -> !exists("cm", "dep") && !exists("rs", "owner"), gc.loop());
  }

  @Test
  void orphanDeletionKeepsDependentsAndDropsTheirReferences() {
    ReplicaSet rs = h.objects().replicaSet("ns", "owner", 0, Map.of("app", "x"));
    dependent("dep", rs, true);
    delete("owner", "Orphan");
    h.settle(() -> !exists("rs", "owner"), gc.loop());
    h.settle(() -> true, gc.loop());
    ConfigMap kept = h.client().resource(Kinds.CONFIG_MAP).get("ns", "dep");
    assertThat(kept.getMetadata().getOwnerReferencesList()).isEmpty();
  }

  @Test
  void aDanglingReferenceIsDroppedWhileAnotherOwnerLives() {
    ReplicaSet alive = h.objects().replicaSet("ns", "alive", 0, Map.of("app", "x"));
    OwnerReference ghost = OwnerReference.newBuilder().setApiVersion("apps/v1").setKind("ReplicaSet")
        .setName("ghost").setUid("00000000-0000-0000-0000-000000000000").build();
    dependent("dep", alive, false, ghost);
    h.settle(() -> h.client().resource(Kinds.CONFIG_MAP).get("ns", "dep").getMetadata().getOwnerReferencesCount() == 1,
        gc.loop());
    assertThat(h.client().resource(Kinds.CONFIG_MAP).get("ns", "dep").getMetadata().getOwnerReferences(0).getName())
        .isEqualTo("alive");
  }
}
