package dev.skiff.client;

import dev.skiff.api.v1.WatchEventType;

/**
 * Receives one watch stream's events, in order, on a gRPC thread: keep callbacks short (hand the
 * event to your own thread). Exactly one of {@link #onError} or {@link #onClosed} ends the stream;
 * after {@link Watch#close()} it is {@link #onClosed}.
 */
public interface WatchListener<T> {
  void onEvent(WatchEventType type, T object);

  /** The stream failed; {@code t} is an {@link ApiException} (OUT_OF_RANGE: relist). */
  void onError(Throwable t);

  /** The server ended the stream, or the watch was closed by the client. */
  void onClosed();
}
