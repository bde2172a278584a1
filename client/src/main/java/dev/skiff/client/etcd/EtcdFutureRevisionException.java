package dev.skiff.client.etcd;

import io.grpc.Status;

/** A range read asked for a revision the store has not reached yet. */
public final class EtcdFutureRevisionException extends EtcdException {
  public EtcdFutureRevisionException(String message, Throwable cause) {
    super(Status.OUT_OF_RANGE.withDescription(message), message, cause);
  }
}
