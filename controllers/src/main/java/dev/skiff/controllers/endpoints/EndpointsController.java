package dev.skiff.controllers.endpoints;

import dev.skiff.api.v1.EndpointSubset;
import dev.skiff.api.v1.Endpoints;
import dev.skiff.api.v1.EndpointsList;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.Pod;
import dev.skiff.api.v1.Service;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.api.LabelSelectors;
import dev.skiff.client.informer.Lister;
import dev.skiff.client.informer.ResourceEventHandler;
import dev.skiff.client.queue.Reconciler;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.WorkLoop;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps, for each Service with a selector, an Endpoints object of the same name listing its
 * selected pods' addresses ({@link EndpointSubsets}); deletes it when the Service goes.
 *
 * <p>Threads: handlers enqueue Service keys; {@link #reconcile} runs on the loop's workers.
 */
public final class EndpointsController implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(EndpointsController.class);
  /** Marks Endpoints this controller wrote, so it deletes only those when their Service goes. */
  static final String MANAGED_BY = "endpoints.skiff.dev/managed-by";
  static final String MANAGER = "endpoints-controller";

  private final ResourceClient<Endpoints, EndpointsList> endpoints;
  private final Lister<Service> services;
  private final Lister<Pod> pods;
  private final Lister<Endpoints> endpointsLister;
  private final WorkLoop loop;

  public EndpointsController(ControllerContext ctx) {
    this.endpoints = ctx.client().resource(Kinds.ENDPOINTS);
    var svcInformer = ctx.informers().informerFor(Kinds.SERVICE);
    var podInformer = ctx.informers().informerFor(Kinds.POD);
    var epInformer = ctx.informers().informerFor(Kinds.ENDPOINTS);
    this.services = svcInformer.lister();
    this.pods = podInformer.lister();
    this.endpointsLister = epInformer.lister();
    this.loop = new WorkLoop("endpoints", this, ctx.config().workers(), ctx.clock());
    svcInformer.addEventHandler(loop.enqueueing(Kinds.SERVICE::key));
    epInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onUpdate(Endpoints oldE, Endpoints e) {
        loop.add(Kinds.ENDPOINTS.key(e));
      }

      @Override
      public void onDelete(Endpoints e) {
        loop.add(Kinds.ENDPOINTS.key(e));
      }
    });
    podInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        enqueueServicesOf(p);
      }

      @Override
      public void onUpdate(Pod oldP, Pod p) {
        if (!oldP.getMetadata().getResourceVersion().equals(p.getMetadata().getResourceVersion())) {
          enqueueServicesOf(p);
          if (!oldP.getMetadata().getLabelsMap().equals(p.getMetadata().getLabelsMap())) {
            enqueueServicesOf(oldP);
          }
        }
      }

      @Override
      public void onDelete(Pod p) {
        enqueueServicesOf(p);
      }
    });
  }

  public WorkLoop loop() {
    return loop;
  }

  private void enqueueServicesOf(Pod pod) {
    for (Service svc : services.list(pod.getMetadata().getNamespace())) {
      if (svc.getSpec().getSelectorCount() > 0
          && LabelSelectors.fromMap(svc.getSpec().getSelectorMap()).test(pod.getMetadata().getLabelsMap())) {
        loop.add(Kinds.SERVICE.key(svc));
      }
    }
  }

  @Override
  public void reconcile(String key) {
    Optional<Service> found = services.get(key);
    Optional<Endpoints> existing = endpointsLister.get(key);
    if (found.isEmpty()) {
      existing.filter(e -> MANAGER.equals(e.getMetadata().getAnnotationsMap().get(MANAGED_BY)))
          .ifPresent(this::deleteOrphaned);
      return;
    }
    Service svc = found.get();
    if (svc.getSpec().getSelectorCount() == 0) {
      return; // endpoints of a selector-less service are the user's to write
    }
    var selector = LabelSelectors.fromMap(svc.getSpec().getSelectorMap());
    List<Pod> selected = pods.list(svc.getMetadata().getNamespace()).stream()
        .filter(p -> selector.test(p.getMetadata().getLabelsMap())).toList();
    List<EndpointSubset> subsets = EndpointSubsets.compute(svc, selected);
    if (existing.isPresent() && existing.get().getSubsetsList().equals(subsets)
        && existing.get().getMetadata().getLabelsMap().equals(svc.getMetadata().getLabelsMap())
        && MANAGER.equals(existing.get().getMetadata().getAnnotationsMap().get(MANAGED_BY))) {
      return;
    }
    if (existing.isPresent()) {
      Endpoints e = existing.get();
      endpoints.update(e.toBuilder().clearSubsets().addAllSubsets(subsets)
          .setMetadata(e.getMetadata().toBuilder().clearLabels().putAllLabels(svc.getMetadata().getLabelsMap())
              .putAnnotations(MANAGED_BY, MANAGER))
          .build());
    } else {
      try {
        endpoints.create(Endpoints.newBuilder().setApiVersion("v1").setKind("Endpoints")
            .setMetadata(ObjectMeta.newBuilder().setNamespace(svc.getMetadata().getNamespace())
                .setName(svc.getMetadata().getName()).putAllLabels(svc.getMetadata().getLabelsMap())
                .putAnnotations(MANAGED_BY, MANAGER))
            .addAllSubsets(subsets).build());
      } catch (ApiException e) {
        if (!e.isAlreadyExists()) {
          throw e;
        }
        loop.add(key); // created meanwhile: update it once the informer shows it
      }
    }
    log.debug("endpoints {}: {} subsets", key, subsets.size());
  }

  private void deleteOrphaned(Endpoints e) {
    try {
      endpoints.delete(e.getMetadata().getNamespace(), e.getMetadata().getName());
    } catch (ApiException ex) {
      if (!ex.isNotFound()) {
        throw ex;
      }
    }
  }
}
