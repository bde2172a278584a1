package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.testing.InProcessCluster;

/** The registry contract on Skiff's own store (a 1-member Raft group in process). */
class RegistryOnStoreTest extends RegistryContractTest {
  @Override
  protected InProcessCluster newCluster() {
    return InProcessCluster.start();
  }
}
