package dev.skiff.client.queue;

/**
 * Brings the world for one key in line with its desired state. Must be idempotent: it is called
 * again after failures, on resync, and whenever the key is re-queued. Throwing requeues the key
 * with rate-limited backoff.
 */
@FunctionalInterface
public interface Reconciler {
  void reconcile(String key) throws Exception;
}
