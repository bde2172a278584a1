package dev.skiff.apiserver.registry;

import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.testing.InProcessCluster;
import dev.skiff.apiserver.testing.LocalEtcd;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;

/** The registry contract on Debian's etcd-server, the reference store. */
class RegistryOnEtcdTest extends RegistryContractTest {
  private LocalEtcd etcd;

  @Override
  protected InProcessCluster newCluster() throws Exception {
    Assumptions.assumeTrue(LocalEtcd.available(), "needs /usr/bin/etcd (Debian package etcd-server)");
    etcd = new LocalEtcd().start();
    return new InProcessCluster(ApiServerConfig.defaults(), List.of(etcd.endpoint())).startCluster();
  }

  @AfterAll
  void stopEtcd() throws Exception {
    if (etcd != null) {
      etcd.close();
    }
  }
}
