package dev.skiff.client.api;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;

/**
 * The API server's "429 Too Many Requests": a request it refused before doing anything, because
 * too many were in flight (Kubernetes' max-in-flight filter). It is RESOURCE_EXHAUSTED with a
 * {@code retry-after} trailer in whole seconds; the trailer is what tells it from other
 * RESOURCE_EXHAUSTED errors (a request too large), and it makes any call, mutating or not,
 * safe to retry after that wait.
 */
public final class TooManyRequests {
  public static final Metadata.Key<String> RETRY_AFTER =
      Metadata.Key.of("retry-after", Metadata.ASCII_STRING_MARSHALLER);

  private TooManyRequests() {}

  public static Status status(String message) {
    return Status.RESOURCE_EXHAUSTED.withDescription(message);
  }

  public static Metadata trailers(Duration retryAfter) {
    Metadata m = new Metadata();
    m.put(RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
    return m;
  }

  /** How long the server asked to wait, when {@code e} is such a refusal. */
  public static Optional<Duration> retryAfter(StatusRuntimeException e) {
    if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED || e.getTrailers() == null) {
      return Optional.empty();
    }
    String seconds = e.getTrailers().get(RETRY_AFTER);
    if (seconds == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofSeconds(Math.min(60, Math.max(0, Long.parseLong(seconds.trim())))));
    } catch (NumberFormatException bad) {
      return Optional.of(Duration.ofSeconds(1));
    }
  }
}
