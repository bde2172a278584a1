package dev.skiff.apiserver.strategy;

import com.google.protobuf.Message;
import dev.skiff.apiserver.errors.Violations;
import java.util.OptionalLong;

/**
 * What one kind adds to the generic registry: defaulting, validation and status rules
 * (Kubernetes' RESTCreateStrategy / RESTUpdateStrategy / RESTDeleteStrategy). The registry
 * handles metadata (uid, timestamps, generation, resourceVersion) itself. Implementations are
 * stateless and thread-safe.
 */
public interface Strategy<T extends Message> {
  /** Defaults a new object and resets what clients may not set (status on most kinds). */
  T prepareForCreate(T obj);

  /** Keeps the stored status: an update changes everything but status. */
  T prepareForUpdate(T obj, T old);

  /** Keeps everything but the new status: a status update changes only status. */
  T prepareForUpdateStatus(T obj, T old);

  /** Adds every violation of a new object (metadata included) to {@code violations}. */
  void validate(T obj, Violations violations);

  /** Adds every violation of an update (immutable fields, plus {@link #validate}). */
  default void validateUpdate(T obj, T old, Violations violations) {
    validate(obj, violations);
  }

  /** Whether the kind has a status (UpdateStatus is refused otherwise). */
  boolean hasStatus();

  /**
   * The grace period a delete gets: 0 deletes at once (after finalizers); more sets
   * deletionTimestamp and leaves the final delete to someone else (the node agent for pods).
   */
  default long gracePeriodSeconds(T obj, OptionalLong requested) {
    return 0;
  }

  /** Marks an object whose deletion began (e.g. a namespace becomes Terminating). */
  default T onDeletionStarted(T obj) {
    return obj;
  }

  /** Whether something besides metadata.finalizers holds the object (a namespace's spec.finalizers). */
  default boolean heldByKindFinalizers(T obj) {
    return false;
  }
}
