package dev.skiff.store.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
    private final Deadlines deadlines = new Deadlines(Duration.ofMillis(150));

    @AfterEach
    void close() {
        deadlines.close();
    }

    @Test
    void aFutureStillPendingAtItsDeadlineFailsWithATimeout() throws Exception {
        long t0 = System.nanoTime();
        CompletableFuture<String> f = deadlines.within(new CompletableFuture<>());
        Thread.sleep(75);
        assertThat(f).isNotDone();
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(150);
    }

    @Test
    void aFutureCompletedInTimeKeepsItsOutcome() throws Exception {
        CompletableFuture<String> ok = deadlines.within(new CompletableFuture<>());
        CompletableFuture<String> failed = deadlines.within(new CompletableFuture<>());
        ok.complete("answer");
        failed.completeExceptionally(new IllegalStateException("not leader"));
        Thread.sleep(300);
        assertThat(ok.join()).isEqualTo("answer");
        assertThatThrownBy(failed::join).hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void sweepsResumeForFuturesAddedAfterEarlierOnesSettled() throws Exception {
        List<CompletableFuture<Integer>> pending = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 500; i++) {
                CompletableFuture<Integer> f = deadlines.within(new CompletableFuture<>());
                if (i % 2 == 0) {
                    f.complete(i);
                } else {
                    pending.add(f);
                }
            }
            Thread.sleep(40); // across sweeps, some finding nothing left to wait for
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get(5, TimeUnit.SECONDS);
        assertThat(pending).allSatisfy(f -> assertThatThrownBy(f::join).hasCauseInstanceOf(TimeoutException.class));
    }
}
