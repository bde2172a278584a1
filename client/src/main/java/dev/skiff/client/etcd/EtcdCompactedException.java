package dev.skiff.client.etcd;

import io.grpc.Status;

/**
 * The revision asked for (by a range read or a watch) is older than the store's compaction.
 * The caller must re-read the current state and watch from there.
 */
public final class EtcdCompactedException extends EtcdException {
  private final long compactRevision;

  public EtcdCompactedException(long compactRevision, String message, Throwable cause) {
    super(Status.OUT_OF_RANGE.withDescription(message), message, cause);
    this.compactRevision = compactRevision;
  }

  /** The store's compaction revision when known (watches report it), else 0. */
  public long compactRevision() {
    return compactRevision;
  }
}
