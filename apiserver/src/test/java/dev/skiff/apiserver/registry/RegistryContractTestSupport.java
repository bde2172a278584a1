package dev.skiff.apiserver.registry;

import dev.skiff.api.v1.Pod;

/** Test objects shared with other packages' tests. */
public final class RegistryContractTestSupport {
  private RegistryContractTestSupport() {}

  public static Pod pod(String namespace, String name, String... labels) {
    return RegistryContractTest.pod(namespace, name, labels);
  }
}
