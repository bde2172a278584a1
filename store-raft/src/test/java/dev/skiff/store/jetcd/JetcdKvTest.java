package dev.skiff.store.jetcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.store.StoreConfig;
import dev.skiff.store.StoreNode;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jetcd, an independent etcd client, against a real single-member store over the network. */
class JetcdKvTest {
    @TempDir
    static Path dir;
    static StoreNode store;
    static Client client;

    @BeforeAll
    static void start() throws Exception {
        store = StoreNode.start(StoreConfig.singleNode(dir));
        client = Client.builder().endpoints("http://" + store.clientEndpoint()).build();
    }

    @AfterAll
    static void stop() {
        client.close();
        store.close();
    }

    static ByteSequence b(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    @Test
    void putGetPrefixDelete() throws Exception {
        KV kv = client.getKVClient();
        var put = kv.put(b("/kv/a"), b("1")).get(10, TimeUnit.SECONDS);
        long rev = put.getHeader().getRevision();
        assertThat(put.getHeader().getMemberId()).isEqualTo(store.memberId());
        kv.put(b("/kv/b"), b("2")).get();
        var prev = kv.put(b("/kv/a"), b("3"), PutOption.builder().withPrevKV().build()).get();
        assertThat(prev.hasPrevKv()).isTrue();
        assertThat(prev.getPrevKv().getValue()).isEqualTo(b("1"));
        GetResponse all = kv.get(b("/kv/"), GetOption.builder().isPrefix(true).build()).get();
        assertThat(all.getKvs()).extracting(k -> k.getKey().toString()).containsExactly("/kv/a", "/kv/b");
        assertThat(all.getKvs().get(0).getVersion()).isEqualTo(2);
        GetResponse old = kv.get(b("/kv/a"), GetOption.builder().withRevision(rev).build()).get();
        assertThat(old.getKvs().get(0).getValue()).isEqualTo(b("1"));
        var serial = kv.get(b("/kv/a"), GetOption.builder().withSerializable(true).build()).get();
        assertThat(serial.getKvs()).hasSize(1);
        var del = kv.delete(b("/kv/"), io.etcd.jetcd.options.DeleteOption.builder().isPrefix(true).build()).get();
        assertThat(del.getDeleted()).isEqualTo(2);
        assertThat(kv.get(b("/kv/"), GetOption.builder().isPrefix(true).build()).get().getCount()).isZero();
    }

    @Test
    void txnCreateIfAbsent() throws Exception {
        KV kv = client.getKVClient();
        Cmp absent = new Cmp(b("/txn/k"), Cmp.Op.EQUAL, CmpTarget.createRevision(0));
        TxnResponse first = kv.txn().If(absent).Then(Op.put(b("/txn/k"), b("v1"), PutOption.DEFAULT))
                .Else(Op.get(b("/txn/k"), GetOption.DEFAULT)).commit().get();
        assertThat(first.isSucceeded()).isTrue();
        TxnResponse second = kv.txn().If(absent).Then(Op.put(b("/txn/k"), b("v2"), PutOption.DEFAULT))
                .Else(Op.get(b("/txn/k"), GetOption.DEFAULT)).commit().get();
        assertThat(second.isSucceeded()).isFalse();
        assertThat(second.getGetResponses().get(0).getKvs().get(0).getValue()).isEqualTo(b("v1"));
    }

    @Test
    void errorsCarryEtcdMessages() {
        KV kv = client.getKVClient();
        assertThatThrownBy(() -> kv.put(b("/lease/x"), b("v"), PutOption.builder().withLeaseId(12345).build()).get())
                .isInstanceOf(ExecutionException.class).hasMessageContaining("requested lease not found");
        assertThatThrownBy(() -> kv.get(b("/kv/a"), GetOption.builder().withRevision(1_000_000).build()).get())
                .hasMessageContaining("required revision is a future revision");
    }
}
