package dev.skiff.nodeagent.status;

import dev.skiff.api.v1.Container;
import dev.skiff.api.v1.Pod;
import dev.skiff.client.api.Quantity;

/** A pod's QoS class (Guaranteed, Burstable, BestEffort) from its containers' cpu/memory. Pure. */
public final class QosClass {
  private QosClass() {}

  public static String of(Pod pod) {
    boolean any = false;
    boolean guaranteed = true;
    java.util.List<Container> all = new java.util.ArrayList<>(pod.getSpec().getInitContainersList());
    all.addAll(pod.getSpec().getContainersList());
    for (Container c : all) {
      var r = c.getResources();
      for (String res : new String[] {"cpu", "memory"}) {
        String req = r.getRequestsOrDefault(res, "");
        String lim = r.getLimitsOrDefault(res, "");
        if (!req.isEmpty() || !lim.isEmpty()) {
          any = true;
        }
        if (lim.isEmpty() || (!req.isEmpty() && Quantity.parse(req).compareTo(Quantity.parse(lim)) != 0)) {
          guaranteed = false;
        }
      }
    }
    if (!any) {
      return "BestEffort";
    }
    return guaranteed ? "Guaranteed" : "Burstable";
  }
}
