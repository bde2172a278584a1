package dev.skiff.apiserver.registry;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import dev.skiff.api.v1.DeleteRequest;
import dev.skiff.api.v1.ObjectMeta;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.apiserver.registry.StoredObjects.Current;
import dev.skiff.apiserver.strategy.Strategy;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.client.etcd.CasResult;
import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Deletes, or begins a graceful / finalized deletion: the object then stays, with
 * deletionTimestamp set, until its grace period is over (someone deletes again with 0) and its
 * finalizers are gone. Like an update it starts from the watch cache's copy and writes with a
 * compare-and-swap on that copy's revision, so a delete usually costs no store read; a lost race
 * retries on the value the failed write returned, and a precondition failure or a no-op judged
 * on a cached copy is confirmed against the store.
 *
 * <p>Thread-safe and stateless between calls; calls block on the store.
 */
final class GracefulDelete<T extends Message> {
  private final ResourceKind<T, ?> kind;
  private final ObjectCodec<T> codec;
  private final Strategy<T> strategy;
  private final StoredObjects<T> objects;
  private final Clock clock;

  GracefulDelete(ResourceKind<T, ?> kind, ObjectCodec<T> codec, Strategy<T> strategy, StoredObjects<T> objects,
                 Clock clock) {
    this.kind = kind;
    this.codec = codec;
    this.strategy = strategy;
    this.objects = objects;
    this.clock = clock;
  }

  /** Runs one delete request (namespace and name already checked); returns the object's last state. */
  T run(DeleteRequest request) {
    String ns = request.getNamespace();
    String name = request.getName();
    String policy = request.getPropagationPolicy();
    if (!policy.isEmpty() && !policy.equals("Orphan") && !policy.equals("Background") && !policy.equals("Foreground")) {
      throw ApiError.badRequest("propagationPolicy", "Unsupported value: \"" + policy
          + "\": supported values: \"Orphan\", \"Background\", \"Foreground\"");
    }
    if (request.hasGracePeriodSeconds() && request.getGracePeriodSeconds() < 0) {
      throw ApiError.badRequest("gracePeriodSeconds", "must be greater than or equal to 0");
    }
    OptionalLong requested = request.hasGracePeriodSeconds()
        ? OptionalLong.of(request.getGracePeriodSeconds()) : OptionalLong.empty();
    Current<T> state = objects.cachedOrStored(ns, name, 0);
    for (int attempt = 0; attempt < GuaranteedUpdate.MAX_ATTEMPTS; attempt++) {
      T current = state.object();
      ObjectMeta meta = kind.meta(current);
      try {
        checkPreconditions(request, meta);
      } catch (ApiError e) {
        if (!state.fromCache()) {
          throw e;
        }
        state = objects.stored(ns, name); // a cached copy may be behind: judge again on the store's
        continue;
      }
      long grace = strategy.gracePeriodSeconds(current, requested);
      ObjectMeta.Builder m = meta.toBuilder();
      if (policy.equals("Orphan")) {
        addFinalizer(m, "orphan");
        removeFinalizer(m, "foregroundDeletion");
      } else if (policy.equals("Foreground")) {
        addFinalizer(m, "foregroundDeletion");
        removeFinalizer(m, "orphan");
      }
      boolean held = m.getFinalizersCount() > 0 || strategy.heldByKindFinalizers(current);
      if (!held && grace == 0) {
        CasResult r = objects.deleteIfUnchanged(state.kv());
        if (r.succeeded()) {
          return current;
        }
        state = objects.afterLostRace(r, name);
        continue;
      }
      long period = meta.hasDeletionGracePeriodSeconds() ? meta.getDeletionGracePeriodSeconds() : Long.MAX_VALUE;
      if (!meta.hasDeletionTimestamp() || grace < period) {
        m.setDeletionTimestamp(now(grace)).setDeletionGracePeriodSeconds(grace);
      }
      T marked = strategy.onDeletionStarted(kind.withMeta(current, m.build()));
      if (marked.equals(current)) {
        if (!state.fromCache()) {
          return current; // nothing changed: no write, no event
        }
        state = objects.stored(ns, name); // a no-op against a cached copy is confirmed against the store
        continue;
      }
      CasResult r = objects.writeIfUnchanged(state.kv(), marked);
      if (r.succeeded()) {
        return codec.withResourceVersion(marked, r.revision());
      }
      state = objects.afterLostRace(r, name);
    }
    throw ApiError.conflict(kind.plural(), name, "too many concurrent writers; try again");
  }

  private void checkPreconditions(DeleteRequest request, ObjectMeta meta) {
    if (!request.hasPreconditions()) {
      return;
    }
    var p = request.getPreconditions();
    if (p.hasUid() && !p.getUid().equals(meta.getUid())) {
      throw ApiError.conflict(kind.plural(), meta.getName(), "Precondition failed: UID in precondition: "
          + p.getUid() + ", UID in object meta: " + meta.getUid());
    }
    if (p.hasResourceVersion() && !p.getResourceVersion().equals(meta.getResourceVersion())) {
      throw ApiError.conflict(kind.plural(), meta.getName(), "Precondition failed: ResourceVersion in precondition: "
          + p.getResourceVersion() + ", ResourceVersion in object meta: " + meta.getResourceVersion());
    }
  }

  private static void addFinalizer(ObjectMeta.Builder m, String f) {
    if (!m.getFinalizersList().contains(f)) {
      m.addFinalizers(f);
    }
  }

  private static void removeFinalizer(ObjectMeta.Builder m, String f) {
    var keep = m.getFinalizersList().stream().filter(x -> !x.equals(f)).toList();
    m.clearFinalizers().addAllFinalizers(keep);
  }

  private Timestamp now(long plusSeconds) {
    Instant t = clock.instant().plusSeconds(plusSeconds);
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).build();
  }
}
