package dev.skiff.apiserver.registry;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.skiff.api.v1.ListMeta;
import dev.skiff.api.v1.ListRequest;
import dev.skiff.apiserver.errors.ApiError;
import dev.skiff.client.api.LabelMatcher;
import dev.skiff.client.api.LabelSelectors;
import dev.skiff.client.api.ResourceKind;
import dev.skiff.client.etcd.EtcdClient;
import dev.skiff.client.etcd.EtcdCompactedException;
import dev.skiff.client.etcd.EtcdFutureRevisionException;
import dev.skiff.client.etcd.RangePage;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Lists one kind, with label and field selectors and pagination.
 *
 * <p>resourceVersion semantics (Kubernetes' with a consistent-read default):
 * <ul>
 *   <li>"" (unset): the most recent state, a linearizable read from the store;
 *   <li>"0": any recent state, served from the watch cache (falls back to the store);
 *   <li>"N": a state at least as recent as N, from the watch cache once it has reached N
 *       (waiting up to 3 s), else from the store; N beyond the store's revision fails.
 * </ul>
 * Pages: a limited list returns a continue token pinning the revision of the first page, so
 * later pages are read from the store at that same revision and together form one consistent
 * snapshot even while objects change. A pinned revision that was compacted fails with
 * OUT_OF_RANGE: list again from the start. Thread-safe.
 */
final class StoreLister<T extends Message, L extends Message> {
  private static final Duration FRESHNESS_WAIT = Duration.ofSeconds(3);

  private final ResourceKind<T, L> kind;
  private final ObjectCodec<T> codec;
  private final EtcdClient store;
  private final CacheReader<T> cache;

  StoreLister(ResourceKind<T, L> kind, ObjectCodec<T> codec, EtcdClient store, CacheReader<T> cache) {
    this.kind = kind;
    this.codec = codec;
    this.store = store;
    this.cache = cache;
  }

  L list(ListRequest req) {
    String ns = req.getNamespace();
    if (!kind.namespaced() && !ns.isEmpty()) {
      throw ApiError.badRequest("namespace", "Forbidden: " + kind.plural() + " are cluster-scoped: leave namespace empty");
    }
    if (req.getLimit() < 0) {
      throw ApiError.badRequest("limit", "must be greater than or equal to 0");
    }
    LabelMatcher labels;
    try {
      labels = LabelSelectors.parse(req.getLabelSelector());
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("labelSelector", "Invalid value: \"" + req.getLabelSelector() + "\": " + e.getMessage());
    }
    FieldSelector fields = FieldSelector.parse(req.getFieldSelector(), kind);
    String fieldNs = fields.requiredValue("metadata.namespace");
    if (kind.namespaced() && ns.isEmpty() && fieldNs != null) {
      ns = fieldNs;
    }
    Predicate<T> filter = obj -> labels.matches(kind.meta(obj).getLabelsMap()) && fields.matches(kind, obj);
    boolean filtered = !labels.isEverything() || !fields.isEverything();
    ByteString dir = codec.prefix(ns);

    if (!req.getContinue().isEmpty()) {
      if (!req.getResourceVersion().isEmpty() && !req.getResourceVersion().equals("0")) {
        throw ApiError.badRequest("resourceVersion", "specifying resource version is not allowed when using continue");
      }
      ContinueToken token = ContinueToken.decode(req.getContinue());
      ByteString start = codec.prefix().concat(ByteString.copyFromUtf8(token.startKey()));
      if (!start.startsWith(dir)) {
        throw ApiError.badRequest("continue", "the continue token belongs to another namespace or kind");
      }
      return fromStore(dir, start, token.revision(), req.getLimit(), filter, filtered);
    }
    String rv = req.getResourceVersion();
    if (!rv.isEmpty() && cache != null) {
      long min = ObjectCodec.parseResourceVersion(rv, "resourceVersion");
      Optional<CacheReader.Snapshot<T>> snap = cache.snapshot(min, FRESHNESS_WAIT);
      if (snap.isPresent()) {
        return fromSnapshot(snap.get(), dir, req.getLimit(), filter);
      }
    }
    if (!rv.isEmpty() && !rv.equals("0")) {
      long min = ObjectCodec.parseResourceVersion(rv, "resourceVersion");
      if (min > store.currentRevision()) {
        throw ApiError.timeout("Too large resource version: " + min + ", the store has not reached it");
      }
    }
    return fromStore(dir, dir, 0, req.getLimit(), filter, filtered);
  }

  private L fromStore(ByteString dir, ByteString start, long revision, long limit,
                      Predicate<T> filter, boolean filtered) {
    ByteString end = EtcdClient.prefixEnd(dir);
    List<T> items = new ArrayList<>();
    long rev = revision;
    ByteString from = start;
    String next = "";
    Long remaining = null;
    try {
      while (true) {
        long want = limit == 0 ? 0 : Math.max(limit - items.size(), filtered ? 100 : 0);
        RangePage page = store.range(from, end, want, rev);
        rev = page.revision() > 0 && rev == 0 ? page.revision() : rev;
        int used = 0;
        for (KeyValue kv : page.kvs()) {
          used++;
          T obj = codec.decode(kv);
          if (filter.test(obj)) {
            items.add(obj);
          }
          if (limit > 0 && items.size() == limit) {
            break;
          }
        }
        boolean pageLeftovers = used < page.kvs().size();
        if (limit > 0 && items.size() == limit && (pageLeftovers || page.more())) {
          ByteString last = page.kvs().get(used - 1).getKey();
          next = new ContinueToken(rev, afterKey(last)).encode();
          if (!filtered) {
            remaining = page.count() - used;
          }
          break;
        }
        if (!page.more() || page.kvs().isEmpty()) {
          break;
        }
        from = page.kvs().getLast().getKey().concat(ByteString.copyFrom(new byte[] {0}));
      }
    } catch (EtcdCompactedException e) {
      throw ApiError.gone("The provided continue parameter is too old to display a consistent list result. "
          + "You can start a new list without the continue parameter.");
    } catch (EtcdFutureRevisionException e) {
      throw ApiError.badRequest("continue", "the continue token names a revision the store has not reached");
    }
    ListMeta.Builder meta = ListMeta.newBuilder().setResourceVersion(Long.toString(rev)).setContinue(next);
    if (remaining != null) {
      meta.setRemainingItemCount(remaining);
    }
    return kind.newList(meta.build(), items);
  }

  private L fromSnapshot(CacheReader.Snapshot<T> snap, ByteString dir, long limit, Predicate<T> filter) {
    List<T> items = new ArrayList<>();
    String next = "";
    for (T obj : snap.objects()) {
      if (!codec.key(obj).startsWith(dir) || !filter.test(obj)) {
        continue;
      }
      if (limit > 0 && items.size() == limit) {
        next = new ContinueToken(snap.revision(), afterKey(codec.key(items.getLast()))).encode();
        break;
      }
      items.add(obj);
    }
    return kind.newList(ListMeta.newBuilder().setResourceVersion(Long.toString(snap.revision()))
        .setContinue(next).build(), items);
  }

  /** The prefix-relative key just after {@code key}. */
  private String afterKey(ByteString key) {
    return key.substring(codec.prefix().size()).toStringUtf8() + "\u0000";
  }
}
