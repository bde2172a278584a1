package dev.skiff.apiserver.watchcache;

import dev.skiff.apiserver.errors.ApiError;

/** Where one watcher's events go (a gRPC stream). Called from the watcher's own thread only. */
public interface WatchSink {
  /**
   * Sends one watch event (its bytes are shared with other watchers: send them as they are),
   * blocking while the client is not ready; false once the client is gone.
   */
  boolean send(EncodedEvent event);

  /** Ends the stream: normally when {@code error} is null, else with the error's status. */
  void close(ApiError error);
}
