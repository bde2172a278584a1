package dev.skiff.client;

import java.time.Duration;

/**
 * Settings of a {@link SkiffClient}: the deadline of every unary call, and how idempotent calls
 * are retried.
 */
public record ClientOptions(Duration callTimeout, RetryPolicy retryPolicy) {
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);

  public ClientOptions {
    if (callTimeout.isNegative() || callTimeout.isZero()) {
      throw new IllegalArgumentException("callTimeout must be positive, got " + callTimeout);
    }
  }

  public static ClientOptions defaults() {
    return new ClientOptions(DEFAULT_CALL_TIMEOUT, RetryPolicy.DEFAULT);
  }

  public ClientOptions withCallTimeout(Duration timeout) {
    return new ClientOptions(timeout, retryPolicy);
  }

  public ClientOptions withRetryPolicy(RetryPolicy policy) {
    return new ClientOptions(callTimeout, policy);
  }
}
