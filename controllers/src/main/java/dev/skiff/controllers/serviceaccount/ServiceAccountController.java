package dev.skiff.controllers.serviceaccount;

import dev.skiff.api.v1.Namespace;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.api.v1.ServiceAccount;
import dev.skiff.api.v1.ServiceAccountList;
import dev.skiff.client.ApiException;
import dev.skiff.client.ResourceClient;
import dev.skiff.client.api.Kinds;
import dev.skiff.client.informer.Lister;
import dev.skiff.client.informer.ResourceEventHandler;
import dev.skiff.client.queue.Reconciler;
import dev.skiff.controllers.ControllerContext;
import dev.skiff.controllers.WorkLoop;
import io.grpc.Status;

/**
 * Ensures a {@code default} ServiceAccount in every active namespace (recreated if deleted).
 * Keys are namespace names. Threads: handlers enqueue; {@link #reconcile} runs on the workers.
 */
public final class ServiceAccountController implements Reconciler {
  public static final String DEFAULT = "default";

  private final ResourceClient<ServiceAccount, ServiceAccountList> accounts;
  private final Lister<Namespace> namespaces;
  private final Lister<ServiceAccount> accountLister;
  private final WorkLoop loop;

  public ServiceAccountController(ControllerContext ctx) {
    this.accounts = ctx.client().resource(Kinds.SERVICE_ACCOUNT);
    var nsInformer = ctx.informers().informerFor(Kinds.NAMESPACE);
    var saInformer = ctx.informers().informerFor(Kinds.SERVICE_ACCOUNT);
    this.namespaces = nsInformer.lister();
    this.accountLister = saInformer.lister();
    this.loop = new WorkLoop("serviceaccount", this, ctx.config().workers(), ctx.clock());
    nsInformer.addEventHandler(loop.enqueueing(n -> n.getMetadata().getName()));
    saInformer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onDelete(ServiceAccount sa) {
        if (DEFAULT.equals(sa.getMetadata().getName())) {
          loop.add(sa.getMetadata().getNamespace());
        }
      }
    });
  }

  public WorkLoop loop() {
    return loop;
  }

  @Override
  public void reconcile(String namespace) {
    Namespace ns = namespaces.get(namespace).orElse(null);
    if (ns == null || ns.getMetadata().hasDeletionTimestamp() || "Terminating".equals(ns.getStatus().getPhase())) {
      return;
    }
    if (accountLister.get(namespace, DEFAULT).isPresent()) {
      return;
    }
    try {
      accounts.create(ServiceAccount.newBuilder().setApiVersion("v1").setKind("ServiceAccount")
          .setMetadata(ObjectMeta.newBuilder().setNamespace(namespace).setName(DEFAULT)).build());
    } catch (ApiException e) {
      if (!e.isAlreadyExists() && e.code() != Status.Code.FAILED_PRECONDITION && !e.isNotFound()) {
        throw e;
      }
    }
  }
}
