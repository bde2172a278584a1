package dev.skiff.store.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AppliedRevisionsTest {
    private final AppliedRevisions applied = new AppliedRevisions();

    @Test
    void aRevisionAlreadyAppliedIsDoneAtOnce() {
        applied.advance(7);
        assertThat(applied.await(7)).isCompletedWithValue(true);
        assertThat(applied.await(3)).isCompletedWithValue(true);
    }

    @Test
    void waitersCompleteInRevisionOrderAsTheApplyAdvances() {
        CompletableFuture<Boolean> at5 = applied.await(5);
        CompletableFuture<Boolean> at3 = applied.await(3);
        CompletableFuture<Boolean> at9 = applied.await(9);
        applied.advance(4);
        assertThat(at3).isCompletedWithValue(true);
        assertThat(at5).isNotDone();
        applied.advance(5);
        assertThat(at5).isCompletedWithValue(true);
        assertThat(at9).isNotDone();
        applied.advance(12);
        assertThat(at9).isCompletedWithValue(true);
    }

    @Test
    void noWaiterIsMissedWhenTheApplyRacesWithIt() throws Exception {
        for (int round = 0; round < 200; round++) {
            AppliedRevisions r = new AppliedRevisions();
            List<CompletableFuture<Boolean>> all = new ArrayList<>();
            Thread applier = Thread.ofPlatform().start(() -> {
                for (long rev = 1; rev <= 100; rev++) {
                    r.advance(rev);
                }
            });
            for (long rev = 1; rev <= 100; rev++) {
                all.add(r.await(rev));
            }
            applier.join();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        }
    }
}
