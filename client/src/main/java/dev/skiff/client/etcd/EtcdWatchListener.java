package dev.skiff.client.etcd;

import dev.skiff.proto.etcd.mvcc.Event;
import java.util.List;

/**
 * Receives a store watch. Calls for one watch are serial (never concurrent) and in revision
 * order; they run on a gRPC thread, so they must be quick.
 */
public interface EtcdWatchListener {
  /** Events of one store revision or more, in order; {@code revision} is the header revision. */
  void onEvents(List<Event> events, long revision);

  /** The watch has seen every change up to {@code revision} (a progress notification). */
  default void onProgress(long revision) {}

  /**
   * The watch ended for good: {@link EtcdCompactedException} when the start revision was
   * compacted, another {@link EtcdException} for any other failure. Not called after close().
   */
  void onError(EtcdException error);
}
