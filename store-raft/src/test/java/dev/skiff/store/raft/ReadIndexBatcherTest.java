package dev.skiff.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ReadIndexBatcherTest {
    /** A hand-written barrier source that records each ReadIndex round and lets the test finish it. */
    private final List<CompletableFuture<Boolean>> rounds = new ArrayList<>();
    private final ReadIndexBatcher batcher = new ReadIndexBatcher(() -> {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        rounds.add(f);
        return f;
    }, Runnable::run);

    @Test
    void readsArrivingDuringARoundWaitForTheNextOneAndShareIt() {
        var a = batcher.await();
        var b = batcher.await();
        var c = batcher.await();
        assertThat(rounds).hasSize(1);
        rounds.get(0).complete(true);
        assertThat(a).isCompletedWithValue(true);
        // b and c started after round 0 took its read index: they need a round of their own
        assertThat(b).isNotDone();
        assertThat(c).isNotDone();
        assertThat(rounds).hasSize(2);
        rounds.get(1).complete(false);
        assertThat(b).isCompletedWithValue(false);
        assertThat(c).isCompletedWithValue(false);
        assertThat(rounds).hasSize(2);
    }

    @Test
    void aFailedRoundFailsItsReadsOnly() {
        var a = batcher.await();
        var b = batcher.await();
        rounds.get(0).completeExceptionally(new IllegalStateException("no leader"));
        assertThat(a).isCompletedExceptionally();
        rounds.get(1).complete(true);
        assertThat(b).isCompletedWithValue(true);
    }
}
