package dev.skiff.client.queue;

import java.time.Duration;

/**
 * Decides how long a key waits before it is retried (client-go's workqueue.RateLimiter).
 * Implementations are thread-safe.
 */
public interface RateLimiter<K> {
  /** How long {@code key} should wait now; counts one more requeue of it. */
  Duration when(K key);

  /** Stops tracking {@code key}: its next failure starts from the base delay again. */
  void forget(K key);

  /** How many times {@code key} has been requeued since it was last forgotten. */
  int numRequeues(K key);
}
