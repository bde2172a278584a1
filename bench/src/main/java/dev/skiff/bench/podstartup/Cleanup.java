package dev.skiff.bench.podstartup;

import dev.skiff.cri.RemoteRuntime;
import dev.skiff.cri.RuntimeTimeouts;
import dev.skiff.cri.v1.PodSandbox;
import dev.skiff.cri.v1.PodSandboxFilter;
import java.util.Map;

/**
 * Removes what an interrupted benchmark left in the runtime: the sandboxes (with their containers)
 * of the benchmark's node and of {@link RawCriBench}. Usage: {@code Cleanup <cri-endpoint>}.
 */
public final class Cleanup {
  public static void main(String[] args) {
    try (RemoteRuntime cri = RemoteRuntime.connect(args[0], RuntimeTimeouts.defaults())) {
      int removed = 0;
      for (Map.Entry<String, String> label : Map.of("dev.skiff.node", AllInOne.NODE,
          "dev.skiff.bench", "rawcri").entrySet()) {
        for (PodSandbox s : cri.listPodSandbox(PodSandboxFilter.newBuilder()
            .putLabelSelector(label.getKey(), label.getValue()).build())) {
          cri.stopPodSandbox(s.getId());
          cri.removePodSandbox(s.getId());
          removed++;
        }
      }
      System.out.println("cleanup: removed " + removed + " sandboxes");
    }
  }
}
