package dev.skiff.client.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.ListMeta;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodList;
import dev.skiff.api.v1.PodWatchEvent;
import dev.skiff.api.v1.WatchEventType;
import io.grpc.MethodDescriptor;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KindsTest {

  @Test
  void registryHasTheFifteenKinds() {
    assertThat(Kinds.all()).extracting(ResourceKind::kind).containsExactly(
        "Namespace", "Node", "Pod", "ReplicaSet", "Deployment", "Service", "Endpoints",
        "ConfigMap", "Secret", "ServiceAccount", "Event", "Lease", "PriorityClass",
        "PersistentVolume", "PersistentVolumeClaim");
    assertThat(Kinds.all()).extracting(ResourceKind::plural).doesNotHaveDuplicates();
  }

  @Test
  void everyServiceHasTheEightStandardMethodsWithTheKindsMessages() {
    for (ResourceKind<?, ?> kind : Kinds.all()) {
      Set<String> names = kind.service().getMethods().stream()
          .map(MethodDescriptor::getBareMethodName)
          .collect(Collectors.toSet());
      Set<String> expected = new HashSet<>(ResourceKind.STANDARD_METHODS);
      if (kind == Kinds.POD) {
        expected.addAll(List.of("Bind", "GetLogs", "Exec"));
      }
      assertThat(names).as(kind.kind()).isEqualTo(expected);

      assertThat(kind.method("Create").getType()).isEqualTo(MethodDescriptor.MethodType.UNARY);
      assertThat(kind.method("Watch").getType())
          .isEqualTo(MethodDescriptor.MethodType.SERVER_STREAMING);
      assertThat(responseType(kind.method("Get"))).isEqualTo(kind.defaultInstance());
      assertThat(responseType(kind.method("List"))).isEqualTo(kind.listDefaultInstance());
      assertThat(responseType(kind.method("Watch"))).isEqualTo(kind.watchEventDefaultInstance());
      for (String update : List.of("Create", "Update", "UpdateStatus")) {
        assertThat(requestType(kind.method(update))).isEqualTo(kind.defaultInstance());
      }
    }
  }

  @Test
  void serviceNamesArePluralsAndEndpointsIsTheException() {
    assertThat(Kinds.POD.service().getName()).isEqualTo("skiff.api.v1.Pods");
    assertThat(Kinds.PRIORITY_CLASS.service().getName()).isEqualTo("skiff.api.v1.PriorityClasses");
    assertThat(Kinds.ENDPOINTS.service().getName()).isEqualTo("skiff.api.v1.EndpointsService");
    assertThat(Kinds.byServiceName("skiff.api.v1.Services")).contains(Kinds.SERVICE);
    assertThat(Kinds.byServiceName("skiff.api.v1.Nope")).isEmpty();
  }

  @Test
  void unknownMethodNamesTheServiceAndItsMethods() {
    assertThatThrownBy(() -> Kinds.NODE.method("Bind"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("service skiff.api.v1.Nodes has no method 'Bind'");
  }

  @ParameterizedTest
  @CsvSource({
    "po, Pod", "pods, Pod", "Pod, Pod", "POD, Pod", "deploy, Deployment",
    "deployments, Deployment", "deployment, Deployment", "rs, ReplicaSet", "svc, Service",
    "ep, Endpoints", "endpoints, Endpoints", "cm, ConfigMap", "ns, Namespace", "no, Node",
    "sa, ServiceAccount", "ev, Event", "pc, PriorityClass", "pv, PersistentVolume",
    "pvc, PersistentVolumeClaim", "leases, Lease", "secret, Secret",
    "persistentvolumeclaims, PersistentVolumeClaim", "PriorityClasses, PriorityClass",
  })
  void byNameAcceptsPluralSingularAndShortNames(String name, String kind) {
    assertThat(Kinds.byName(name)).map(ResourceKind::kind).contains(kind);
  }

  @Test
  void unknownNamesAreEmpty() {
    assertThat(Kinds.byName("widgets")).isEmpty();
    assertThat(Kinds.byKind("deployment")).isEmpty();
    assertThat(Kinds.byKind("Deployment")).contains(Kinds.DEPLOYMENT);
  }

  @Test
  void scopeAndGroupsFollowKubernetes() {
    Set<String> clusterScoped = Kinds.all().stream()
        .filter(k -> !k.namespaced()).map(ResourceKind::kind).collect(Collectors.toSet());
    assertThat(clusterScoped)
        .containsExactlyInAnyOrder("Namespace", "Node", "PriorityClass", "PersistentVolume");
    assertThat(Kinds.DEPLOYMENT.apiVersion()).isEqualTo("apps/v1");
    assertThat(Kinds.LEASE.apiVersion()).isEqualTo("coordination.k8s.io/v1");
    assertThat(Kinds.PRIORITY_CLASS.apiVersion()).isEqualTo("scheduling.k8s.io/v1");
    assertThat(Kinds.POD.apiVersion()).isEqualTo("v1");
  }

  @Test
  void keysAndStoragePrefix() {
    Pod pod = Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName("web-1"))
        .build();
    Node node = Node.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("n1")).build();
    assertThat(Kinds.POD.key(pod)).isEqualTo("default/web-1");
    assertThat(Kinds.NODE.key(node)).isEqualTo("n1");
    assertThat(Kinds.POD.storagePrefix()).isEqualTo("/registry/pods/");
    assertThat(Kinds.PERSISTENT_VOLUME_CLAIM.storagePrefix())
        .isEqualTo("/registry/persistentvolumeclaims/");
  }

  @Test
  void metaAccessorsWorkByReflection() {
    ConfigMap cm = ConfigMap.newBuilder().putData("k", "v").build();
    assertThat(Kinds.CONFIG_MAP.meta(cm)).isEqualTo(ObjectMeta.getDefaultInstance());
    ObjectMeta meta = ObjectMeta.newBuilder().setName("cfg").setResourceVersion("7").build();
    ConfigMap withMeta = Kinds.CONFIG_MAP.withMeta(cm, meta);
    assertThat(withMeta.getMetadata()).isEqualTo(meta);
    assertThat(withMeta.getDataMap()).containsEntry("k", "v");
    assertThat(Kinds.CONFIG_MAP.withTypeMeta(cm))
        .extracting(ConfigMap::getApiVersion, ConfigMap::getKind)
        .containsExactly("v1", "ConfigMap");
  }

  @Test
  void listsAndWatchEventsWorkByReflection() {
    Pod a = pod("a");
    Pod b = pod("b");
    ListMeta listMeta = ListMeta.newBuilder().setResourceVersion("42").setContinue("tok").build();

    PodList list = Kinds.POD.newList(listMeta, List.of(a, b));
    assertThat(list.getItemsList()).containsExactly(a, b);
    assertThat(Kinds.POD.items(list)).containsExactly(a, b);
    assertThat(Kinds.POD.listMeta(list)).isEqualTo(listMeta);

    Message event = Kinds.POD.newWatchEvent(WatchEventType.MODIFIED, a);
    assertThat(event).isInstanceOf(PodWatchEvent.class);
    assertThat(((PodWatchEvent) event).getType()).isEqualTo(WatchEventType.MODIFIED);
    assertThat(Kinds.POD.eventType(event)).isEqualTo(WatchEventType.MODIFIED);
    assertThat(Kinds.POD.eventObject(event)).isEqualTo(a);
  }

  @Test
  void everyKindRoundTripsThroughTheGenericAccessors() {
    for (ResourceKind<?, ?> kind : Kinds.all()) {
      roundTrip(kind);
    }
  }

  private static <T extends Message, L extends Message> void roundTrip(ResourceKind<T, L> kind) {
    ObjectMeta meta = ObjectMeta.newBuilder().setName("x").setNamespace("ns").build();
    T obj = kind.withTypeMeta(kind.withMeta(kind.defaultInstance(), meta));
    assertThat(kind.meta(obj)).as(kind.kind()).isEqualTo(meta);
    assertThat(kind.key(obj)).isEqualTo(kind.namespaced() ? "ns/x" : "x");
    L list = kind.newList(ListMeta.getDefaultInstance(), List.of(obj, obj));
    assertThat(kind.items(list)).containsExactly(obj, obj);
    Message event = kind.newWatchEvent(WatchEventType.BOOKMARK, obj);
    assertThat(kind.eventType(event)).isEqualTo(WatchEventType.BOOKMARK);
    assertThat(kind.eventObject(event)).isEqualTo(obj);
  }

  @Test
  void malformedKindIsRejectedAtConstruction() {
    // A kind whose "list" is not a list of its objects.
    assertThatThrownBy(() -> new ResourceKind<>("Pod", "v1", "pods", List.of(), true,
            Pod.getDefaultInstance(), ConfigMap.getDefaultInstance(),
            PodWatchEvent.getDefaultInstance(), Kinds.POD.service()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("skiff.api.v1.ConfigMap must have field 'metadata' = 1");
    // Messages that are not the service's.
    assertThatThrownBy(() -> new ResourceKind<>("Pod", "v1", "pods", List.of(), true,
            Pod.getDefaultInstance(), PodList.getDefaultInstance(),
            PodWatchEvent.getDefaultInstance(), Kinds.NODE.service()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("skiff.api.v1.Nodes/Get must return skiff.api.v1.Pod");
  }

  private static Pod pod(String name) {
    return Pod.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setNamespace("default").setName(name))
        .build();
  }

  private static Message requestType(MethodDescriptor<?, ?> method) {
    return (Message) ((io.grpc.MethodDescriptor.PrototypeMarshaller<?>)
        method.getRequestMarshaller()).getMessagePrototype();
  }

  private static Message responseType(MethodDescriptor<?, ?> method) {
    return (Message) ((io.grpc.MethodDescriptor.PrototypeMarshaller<?>)
        method.getResponseMarshaller()).getMessagePrototype();
  }
}
