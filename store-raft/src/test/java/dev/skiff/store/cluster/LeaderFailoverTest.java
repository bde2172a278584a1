package dev.skiff.store.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.store.StoreNode;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real 3-member Ratis group whose leader dies in the middle of a stream of writes. */
class LeaderFailoverTest {
    @TempDir
    Path dir;

    static ByteSequence b(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Test
    void everyAcknowledgedWriteSurvivesLeaderLoss() throws Exception {
        try (StoreCluster cluster = new StoreCluster(dir, 3, c -> c).start();
             Client client = Client.builder().endpoints(cluster.endpoints().split(",")).build()) {
            Set<String> acked = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            Thread[] writers = new Thread[4];
            for (int w = 0; w < writers.length; w++) {
                int id = w;
                writers[w] = Thread.ofVirtual().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String key = "/failover/" + id + "/" + i;
                        try {
                            client.getKVClient().put(b(key), b("v" + i)).get(15, TimeUnit.SECONDS);
                            acked.add(key);
                        } catch (Exception e) {
                            // not acknowledged: may or may not be present
                        }
                    }
                });
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 100);
            StoreNode leader = cluster.awaitLeader(Duration.ofSeconds(10));
            long killedAt = System.nanoTime();
            cluster.kill(leader.name());
            StoreNode next = cluster.awaitLeader(Duration.ofSeconds(15));
            long electionMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            assertThat(next.name()).isNotEqualTo(leader.name());
            int before = acked.size();
            await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= before + 100);
            stop.set(true);
            for (Thread t : writers) {
                t.join();
            }
            // etcd's default election timeout (1-2 s) plus a loaded machine's scheduling delays
            assertThat(electionMs).isLessThan(8000);

            var all = client.getKVClient().get(b("/failover/"), GetOption.builder().isPrefix(true).withKeysOnly(true).build())
                    .get(10, TimeUnit.SECONDS);
            Set<String> present = ConcurrentHashMap.newKeySet();
            all.getKvs().forEach(kv -> present.add(kv.getKey().toString(StandardCharsets.UTF_8)));
            assertThat(present).containsAll(acked);

            // the old leader comes back and catches up with everything
            StoreNode back = cluster.start(leader.name());
            long target = next.revision();
            await().atMost(Duration.ofSeconds(20)).until(() -> back.revision() >= target);

            // and all three hold the same history up to there (etcdctl endpoint hashkv)
            Set<Integer> hashes = ConcurrentHashMap.newKeySet();
            for (StoreNode n : cluster.nodes()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> n.revision() >= target);
                hashes.add(client.getMaintenanceClient().hashKV(cluster.endpoint(n.name()), target)
                        .get(10, TimeUnit.SECONDS).getHash());
            }
            assertThat(hashes).hasSize(1);
        }
    }
}
