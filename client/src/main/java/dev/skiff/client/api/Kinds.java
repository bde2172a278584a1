package dev.skiff.client.api;

import dev.skiff.api.v1.ConfigMap;
import dev.skiff.api.v1.ConfigMapList;
import dev.skiff.api.v1.ConfigMapWatchEvent;
import dev.skiff.api.v1.ConfigMapsGrpc;
import dev.skiff.api.v1.Deployment;
import dev.skiff.api.v1.DeploymentList;
import dev.skiff.api.v1.DeploymentWatchEvent;
import dev.skiff.api.v1.DeploymentsGrpc;
import dev.skiff.api.v1.Endpoints;
import dev.skiff.api.v1.EndpointsList;
import dev.skiff.api.v1.EndpointsServiceGrpc;
import dev.skiff.api.v1.EndpointsWatchEvent;
import dev.skiff.api.v1.Event;
import dev.skiff.api.v1.EventList;
import dev.skiff.api.v1.EventWatchEvent;
import dev.skiff.api.v1.EventsGrpc;
import dev.skiff.api.v1.Lease;
import dev.skiff.api.v1.LeaseList;
import dev.skiff.api.v1.LeaseWatchEvent;
import dev.skiff.api.v1.LeasesGrpc;
import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.NamespaceList;
import dev.skiff.api.v1.NamespaceWatchEvent;
import dev.skiff.api.v1.NamespacesGrpc;
import dev.skiff.api.v1.Node;
import dev.skiff.api.v1.NodeList;
import dev.skiff.api.v1.NodeWatchEvent;
import dev.skiff.api.v1.NodesGrpc;
import dev.skiff.api.v1.PersistentVolume;
import dev.skiff.api.v1.PersistentVolumeClaim;
import dev.skiff.api.v1.PersistentVolumeClaimList;
import dev.skiff.api.v1.PersistentVolumeClaimWatchEvent;
import dev.skiff.api.v1.PersistentVolumeClaimsGrpc;
import dev.skiff.api.v1.PersistentVolumeList;
import dev.skiff.api.v1.PersistentVolumeWatchEvent;
import dev.skiff.api.v1.PersistentVolumesGrpc;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.PodList;
import dev.skiff.api.v1.PodWatchEvent;
import dev.skiff.api.v1.PodsGrpc;
import dev.skiff.api.v1.PriorityClass;
import dev.skiff.api.v1.PriorityClassList;
import dev.skiff.api.v1.PriorityClassWatchEvent;
import dev.skiff.api.v1.PriorityClassesGrpc;
import dev.skiff.api.v1.ReplicaSet;
import dev.skiff.api.v1.ReplicaSetList;
import dev.skiff.api.v1.ReplicaSetWatchEvent;
import dev.skiff.api.v1.ReplicaSetsGrpc;
import dev.skiff.api.v1.Secret;
import dev.skiff.api.v1.SecretList;
import dev.skiff.api.v1.SecretWatchEvent;
import dev.skiff.api.v1.SecretsGrpc;
import dev.skiff.api.v1.Service;
import dev.skiff.api.v1.ServiceAccount;
import dev.skiff.api.v1.ServiceAccountList;
import dev.skiff.api.v1.ServiceAccountWatchEvent;
import dev.skiff.api.v1.ServiceAccountsGrpc;
import dev.skiff.api.v1.ServiceList;
import dev.skiff.api.v1.ServiceWatchEvent;
import dev.skiff.api.v1.ServicesGrpc;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of every resource kind of the cluster API. Names follow Kubernetes: kind
 * ("Deployment"), plural ("deployments"), kubectl short names ("deploy").
 */
public final class Kinds {
  public static final ResourceKind<Namespace, NamespaceList> NAMESPACE =
      new ResourceKind<>("Namespace", "v1", "namespaces", List.of("ns"), false,
          Namespace.getDefaultInstance(), NamespaceList.getDefaultInstance(),
          NamespaceWatchEvent.getDefaultInstance(), NamespacesGrpc.getServiceDescriptor());
  public static final ResourceKind<Node, NodeList> NODE =
      new ResourceKind<>("Node", "v1", "nodes", List.of("no"), false,
          Node.getDefaultInstance(), NodeList.getDefaultInstance(),
          NodeWatchEvent.getDefaultInstance(), NodesGrpc.getServiceDescriptor());
  public static final ResourceKind<Pod, PodList> POD =
      new ResourceKind<>("Pod", "v1", "pods", List.of("po"), true,
          Pod.getDefaultInstance(), PodList.getDefaultInstance(),
          PodWatchEvent.getDefaultInstance(), PodsGrpc.getServiceDescriptor());
  public static final ResourceKind<ReplicaSet, ReplicaSetList> REPLICA_SET =
      new ResourceKind<>("ReplicaSet", "apps/v1", "replicasets", List.of("rs"), true,
          ReplicaSet.getDefaultInstance(), ReplicaSetList.getDefaultInstance(),
          ReplicaSetWatchEvent.getDefaultInstance(), ReplicaSetsGrpc.getServiceDescriptor());
  public static final ResourceKind<Deployment, DeploymentList> DEPLOYMENT =
      new ResourceKind<>("Deployment", "apps/v1", "deployments", List.of("deploy"), true,
          Deployment.getDefaultInstance(), DeploymentList.getDefaultInstance(),
          DeploymentWatchEvent.getDefaultInstance(), DeploymentsGrpc.getServiceDescriptor());
  public static final ResourceKind<Service, ServiceList> SERVICE =
      new ResourceKind<>("Service", "v1", "services", List.of("svc"), true,
          Service.getDefaultInstance(), ServiceList.getDefaultInstance(),
          ServiceWatchEvent.getDefaultInstance(), ServicesGrpc.getServiceDescriptor());
  /** Kind and plural are both "Endpoints"; its gRPC service is {@code EndpointsService}. */
  public static final ResourceKind<Endpoints, EndpointsList> ENDPOINTS =
      new ResourceKind<>("Endpoints", "v1", "endpoints", List.of("ep"), true,
          Endpoints.getDefaultInstance(), EndpointsList.getDefaultInstance(),
          EndpointsWatchEvent.getDefaultInstance(), EndpointsServiceGrpc.getServiceDescriptor());
  public static final ResourceKind<ConfigMap, ConfigMapList> CONFIG_MAP =
      new ResourceKind<>("ConfigMap", "v1", "configmaps", List.of("cm"), true,
          ConfigMap.getDefaultInstance(), ConfigMapList.getDefaultInstance(),
          ConfigMapWatchEvent.getDefaultInstance(), ConfigMapsGrpc.getServiceDescriptor());
  public static final ResourceKind<Secret, SecretList> SECRET =
      new ResourceKind<>("Secret", "v1", "secrets", List.of(), true,
          Secret.getDefaultInstance(), SecretList.getDefaultInstance(),
          SecretWatchEvent.getDefaultInstance(), SecretsGrpc.getServiceDescriptor());
  public static final ResourceKind<ServiceAccount, ServiceAccountList> SERVICE_ACCOUNT =
      new ResourceKind<>("ServiceAccount", "v1", "serviceaccounts", List.of("sa"), true,
          ServiceAccount.getDefaultInstance(), ServiceAccountList.getDefaultInstance(),
          ServiceAccountWatchEvent.getDefaultInstance(), ServiceAccountsGrpc.getServiceDescriptor());
  public static final ResourceKind<Event, EventList> EVENT =
      new ResourceKind<>("Event", "v1", "events", List.of("ev"), true,
          Event.getDefaultInstance(), EventList.getDefaultInstance(),
          EventWatchEvent.getDefaultInstance(), EventsGrpc.getServiceDescriptor());
  public static final ResourceKind<Lease, LeaseList> LEASE =
      new ResourceKind<>("Lease", "coordination.k8s.io/v1", "leases", List.of(), true,
          Lease.getDefaultInstance(), LeaseList.getDefaultInstance(),
          LeaseWatchEvent.getDefaultInstance(), LeasesGrpc.getServiceDescriptor());
  public static final ResourceKind<PriorityClass, PriorityClassList> PRIORITY_CLASS =
      new ResourceKind<>("PriorityClass", "scheduling.k8s.io/v1", "priorityclasses",
          List.of("pc"), false,
          PriorityClass.getDefaultInstance(), PriorityClassList.getDefaultInstance(),
          PriorityClassWatchEvent.getDefaultInstance(), PriorityClassesGrpc.getServiceDescriptor());
  public static final ResourceKind<PersistentVolume, PersistentVolumeList> PERSISTENT_VOLUME =
      new ResourceKind<>("PersistentVolume", "v1", "persistentvolumes", List.of("pv"), false,
          PersistentVolume.getDefaultInstance(), PersistentVolumeList.getDefaultInstance(),
          PersistentVolumeWatchEvent.getDefaultInstance(),
          PersistentVolumesGrpc.getServiceDescriptor());
  public static final ResourceKind<PersistentVolumeClaim, PersistentVolumeClaimList>
      PERSISTENT_VOLUME_CLAIM =
          new ResourceKind<>("PersistentVolumeClaim", "v1", "persistentvolumeclaims",
              List.of("pvc"), true,
              PersistentVolumeClaim.getDefaultInstance(),
              PersistentVolumeClaimList.getDefaultInstance(),
              PersistentVolumeClaimWatchEvent.getDefaultInstance(),
              PersistentVolumeClaimsGrpc.getServiceDescriptor());

  private static final List<ResourceKind<?, ?>> ALL =
      List.of(NAMESPACE, NODE, POD, REPLICA_SET, DEPLOYMENT, SERVICE, ENDPOINTS, CONFIG_MAP,
          SECRET, SERVICE_ACCOUNT, EVENT, LEASE, PRIORITY_CLASS, PERSISTENT_VOLUME,
          PERSISTENT_VOLUME_CLAIM);
  private static final Map<String, ResourceKind<?, ?>> BY_KIND = new HashMap<>();
  private static final Map<String, ResourceKind<?, ?>> BY_NAME = new HashMap<>();

  static {
    for (ResourceKind<?, ?> k : ALL) {
      BY_KIND.put(k.kind(), k);
      addName(k.plural(), k);
      addName(k.kind(), k);
      for (String shortName : k.shortNames()) {
        addName(shortName, k);
      }
    }
  }

  private Kinds() {}

  private static void addName(String name, ResourceKind<?, ?> kind) {
    ResourceKind<?, ?> previous = BY_NAME.put(name.toLowerCase(Locale.ROOT), kind);
    if (previous != null && previous != kind) {
      throw new IllegalStateException(
          "name '" + name + "' is used by both " + previous.kind() + " and " + kind.kind());
    }
  }

  /** Every kind, in a fixed order (namespaces and nodes first). */
  public static List<ResourceKind<?, ?>> all() {
    return ALL;
  }

  /** The kind with this exact kind name ("Deployment"). */
  public static Optional<ResourceKind<?, ?>> byKind(String kind) {
    return Optional.ofNullable(BY_KIND.get(kind));
  }

  /**
   * The kind a user means by {@code name}: its plural ("deployments"), singular ("deployment")
   * or kubectl short name ("deploy"), in any case.
   */
  public static Optional<ResourceKind<?, ?>> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name.trim().toLowerCase(Locale.ROOT)));
  }

  /** The kind whose gRPC service has this full name ("skiff.api.v1.Pods"). */
  public static Optional<ResourceKind<?, ?>> byServiceName(String serviceName) {
    for (ResourceKind<?, ?> k : ALL) {
      if (k.service().getName().equals(serviceName)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
