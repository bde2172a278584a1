package dev.skiff.controllers.replicaset;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Kubernetes' {@code slowStartBatch}: runs {@code count} calls in batches of 1, 2, 4, ... (each
 * batch in parallel on virtual threads) and stops after the first batch with a failure, so a
 * quota or admission error costs one call, not hundreds.
 */
final class SlowStart {
  private SlowStart() {}

  /** The outcome: how many calls succeeded, and the first failure if any. */
  record Result(int succeeded, Exception firstFailure) {}

  static Result run(int count, int initialBatch, Callable<?> call) throws InterruptedException {
    int succeeded = 0;
    int batch = Math.max(1, initialBatch);
    int remaining = count;
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
      while (remaining > 0) {
        int size = Math.min(batch, remaining);
        List<Future<?>> futures = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          futures.add(exec.submit(call));
        }
        Exception failure = null;
        for (Future<?> f : futures) {
          try {
            f.get();
            succeeded++;
          } catch (ExecutionException e) {
            if (failure == null) {
              failure = e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
            }
          }
        }
        if (failure != null) {
          return new Result(succeeded, failure);
        }
        remaining -= size;
        batch *= 2;
      }
    }
    return new Result(succeeded, null);
  }
}
