package dev.skiff.client.etcd;

import com.google.protobuf.ByteString;
import dev.skiff.proto.etcd.Compare;
import dev.skiff.proto.etcd.CompactionRequest;
import dev.skiff.proto.etcd.DeleteRangeRequest;
import dev.skiff.proto.etcd.KVGrpc;
import dev.skiff.proto.etcd.LeaseGrantRequest;
import dev.skiff.proto.etcd.LeaseGrpc;
import dev.skiff.proto.etcd.LeaseKeepAliveRequest;
import dev.skiff.proto.etcd.LeaseKeepAliveResponse;
import dev.skiff.proto.etcd.LeaseRevokeRequest;
import dev.skiff.proto.etcd.PutRequest;
import dev.skiff.proto.etcd.RangeRequest;
import dev.skiff.proto.etcd.RangeResponse;
import dev.skiff.proto.etcd.RequestOp;
import dev.skiff.proto.etcd.ResponseOp;
import dev.skiff.proto.etcd.TxnRequest;
import dev.skiff.proto.etcd.TxnResponse;
import dev.skiff.proto.etcd.mvcc.KeyValue;
import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small etcd v3 client over one gRPC {@link Channel}: KV reads and writes, guarded writes
 * (create-if-absent, compare-mod-revision), watches and leases. It speaks the etcd wire API,
 * so it works against Skiff's store and against a real etcd.
 *
 * <p>Thread-safe; blocking calls (use them from virtual threads). Every unary call has the
 * configured deadline. Reads are retried on UNAVAILABLE (failover to the next endpoint of an
 * {@link EtcdEndpoints} channel); writes are not, since a write whose answer was lost may have
 * been applied. Failures surface as {@link EtcdException}.
 */
public final class EtcdClient implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EtcdClient.class);
  private static final int READ_ATTEMPTS = 4;

  private final Channel channel;
  private final ManagedChannel owned;
  private final Duration timeout;

  private EtcdClient(Channel channel, ManagedChannel owned, Duration timeout) {
    this.channel = channel;
    this.owned = owned;
    this.timeout = timeout;
  }

  /** A client over a channel the caller owns (in-process, tests). */
  public static EtcdClient forChannel(Channel channel) {
    return new EtcdClient(channel, null, Duration.ofSeconds(10));
  }

  /** A client over its own failover channel to {@code endpoints} ("host:port"); close() closes it. */
  public static EtcdClient connect(List<String> endpoints) {
    ManagedChannel ch = EtcdEndpoints.channel(endpoints);
    return new EtcdClient(ch, ch, Duration.ofSeconds(10));
  }

  /** The same client with another per-call deadline. */
  public EtcdClient withTimeout(Duration callTimeout) {
    return new EtcdClient(channel, null, callTimeout);
  }

  public Channel channel() {
    return channel;
  }

  // ---- reads ----

  /** The key's current value, or empty. */
  public Optional<KeyValue> get(ByteString key) {
    RangeResponse r = range(RangeRequest.newBuilder().setKey(key).build());
    return r.getKvsCount() == 0 ? Optional.empty() : Optional.of(r.getKvs(0));
  }

  /**
   * Keys in [{@code from}, {@code rangeEnd}) at {@code revision} (0 = latest), at most
   * {@code limit} (0 = all), in key order.
   */
  public RangePage range(ByteString from, ByteString rangeEnd, long limit, long revision) {
    RangeResponse r = range(RangeRequest.newBuilder()
        .setKey(from).setRangeEnd(rangeEnd).setLimit(limit).setRevision(revision).build());
    return new RangePage(r.getKvsList(), r.getHeader().getRevision(), r.getMore(), r.getCount());
  }

  /** Number of keys under {@code prefix} and the current revision, without reading values. */
  public RangePage count(ByteString prefix) {
    RangeResponse r = range(RangeRequest.newBuilder()
        .setKey(prefix).setRangeEnd(prefixEnd(prefix)).setCountOnly(true).build());
    return new RangePage(List.of(), r.getHeader().getRevision(), false, r.getCount());
  }

  /** The store's current revision (a linearizable read). */
  public long currentRevision() {
    RangeResponse r = range(RangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8("\0")).setCountOnly(true).build());
    return r.getHeader().getRevision();
  }

  /** A raw range request. */
  public RangeResponse range(RangeRequest request) {
    return withReadRetries("range", () -> kv().range(request));
  }

  // ---- writes ----

  /** Puts unconditionally; returns the write's revision. */
  public long put(ByteString key, ByteString value) {
    return call("put", () -> kv().put(PutRequest.newBuilder().setKey(key).setValue(value).build()))
        .getHeader().getRevision();
  }

  /** Puts with a lease attached; returns the write's revision. */
  public long put(ByteString key, ByteString value, long leaseId) {
    return call("put", () -> kv().put(
        PutRequest.newBuilder().setKey(key).setValue(value).setLease(leaseId).build()))
        .getHeader().getRevision();
  }

  /** Deletes one key; returns the number deleted (0 or 1). */
  public long delete(ByteString key) {
    return call("delete", () -> kv().deleteRange(DeleteRangeRequest.newBuilder().setKey(key).build()))
        .getDeleted();
  }

  /** Deletes every key under {@code prefix}; returns the number deleted. */
  public long deletePrefix(ByteString prefix) {
    return call("delete", () -> kv().deleteRange(DeleteRangeRequest.newBuilder()
        .setKey(prefix).setRangeEnd(prefixEnd(prefix)).build())).getDeleted();
  }

  /** Writes {@code value} only if {@code key} does not exist. */
  public CasResult createIfAbsent(ByteString key, ByteString value) {
    Compare absent = Compare.newBuilder().setKey(key)
        .setTarget(Compare.CompareTarget.CREATE).setResult(Compare.CompareResult.EQUAL)
        .setCreateRevision(0).build();
    return guarded("create", key, absent,
        RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)).build());
  }

  /** Writes {@code value} only if {@code key} exists at {@code modRevision}. */
  public CasResult updateIfModRevision(ByteString key, ByteString value, long modRevision) {
    return guarded("update", key, atModRevision(key, modRevision),
        RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value)).build());
  }

  /** Deletes {@code key} only if it exists at {@code modRevision}. */
  public CasResult deleteIfModRevision(ByteString key, long modRevision) {
    return guarded("delete", key, atModRevision(key, modRevision),
        RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key)).build());
  }

  /** A raw transaction. */
  public TxnResponse txn(TxnRequest request) {
    return call("txn", () -> kv().txn(request));
  }

  /** Compacts the store's history up to {@code revision}. */
  public void compact(long revision) {
    call("compact", () -> kv().compact(CompactionRequest.newBuilder().setRevision(revision).build()));
  }

  private static Compare atModRevision(ByteString key, long modRevision) {
    return Compare.newBuilder().setKey(key)
        .setTarget(Compare.CompareTarget.MOD).setResult(Compare.CompareResult.EQUAL)
        .setModRevision(modRevision).build();
  }

  private CasResult guarded(String op, ByteString key, Compare compare, RequestOp onSuccess) {
    TxnResponse r = txn(TxnRequest.newBuilder()
        .addCompare(compare)
        .addSuccess(onSuccess)
        .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)))
        .build());
    if (r.getSucceeded()) {
      return new CasResult(true, r.getHeader().getRevision(), Optional.empty());
    }
    Optional<KeyValue> current = Optional.empty();
    if (r.getResponsesCount() > 0) {
      ResponseOp resp = r.getResponses(0);
      if (resp.hasResponseRange() && resp.getResponseRange().getKvsCount() > 0) {
        current = Optional.of(resp.getResponseRange().getKvs(0));
      }
    }
    log.trace("{} of {} lost its guard", op, key.toStringUtf8());
    return new CasResult(false, r.getHeader().getRevision(), current);
  }

  // ---- leases ----

  /** Grants a lease of {@code ttl}; returns its id. */
  public long leaseGrant(Duration ttl) {
    return call("lease grant", () -> lease().leaseGrant(
        LeaseGrantRequest.newBuilder().setTTL(Math.max(1, ttl.toSeconds())).build())).getID();
  }

  public void leaseRevoke(long leaseId) {
    call("lease revoke", () -> lease().leaseRevoke(LeaseRevokeRequest.newBuilder().setID(leaseId).build()));
  }

  /** Refreshes a lease once; returns its remaining TTL in seconds (0 or less when it expired). */
  public long leaseKeepAliveOnce(long leaseId) {
    CompletableFuture<Long> ttl = new CompletableFuture<>();
    StreamObserver<LeaseKeepAliveRequest> req = LeaseGrpc.newStub(channel)
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .leaseKeepAlive(new StreamObserver<>() {
          @Override
          public void onNext(LeaseKeepAliveResponse value) {
            ttl.complete(value.getTTL());
          }

          @Override
          public void onError(Throwable t) {
            ttl.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            ttl.complete(0L);
          }
        });
    req.onNext(LeaseKeepAliveRequest.newBuilder().setID(leaseId).build());
    try {
      return ttl.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EtcdException(Status.CANCELLED, "lease keepalive interrupted", e);
    } catch (Exception e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      Status s = cause instanceof StatusRuntimeException sre ? sre.getStatus() : Status.DEADLINE_EXCEEDED;
      throw new EtcdException(s, "lease keepalive: " + cause.getMessage(), cause);
    } finally {
      req.onCompleted();
    }
  }

  // ---- watch ----

  /**
   * Starts a watch; events go to {@code listener} until {@link EtcdWatch#close()}. A broken
   * stream is re-established from the next unseen revision, so the listener sees no gap and
   * no duplicate; a compacted start revision ends the watch with {@link EtcdCompactedException}.
   */
  public EtcdWatch watch(WatchOptions options, EtcdWatchListener listener) {
    EtcdWatch w = new EtcdWatch(channel, options, listener);
    w.start();
    return w;
  }

  @Override
  public void close() {
    if (owned != null) {
      owned.shutdown();
      try {
        if (!owned.awaitTermination(2, TimeUnit.SECONDS)) {
          owned.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        owned.shutdownNow();
      }
    }
  }

  /** The end of the range of every key that starts with {@code prefix}. */
  public static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    return ByteString.copyFrom(new byte[] {0}); // the whole key space
  }

  private KVGrpc.KVBlockingStub kv() {
    return KVGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private LeaseGrpc.LeaseBlockingStub lease() {
    return LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static <R> R call(String op, Supplier<R> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw EtcdException.from(op, e);
    }
  }

  private static <R> R withReadRetries(String op, Supplier<R> rpc) {
    long backoffMs = 50;
    for (int attempt = 1; ; attempt++) {
      try {
        return rpc.get();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE || attempt == READ_ATTEMPTS) {
          throw EtcdException.from(op, e);
        }
        log.debug("store {} unavailable (attempt {}), retrying: {}", op, attempt, e.getStatus());
        try {
          Thread.sleep(backoffMs);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw EtcdException.from(op, e);
        }
        backoffMs *= 2;
      }
    }
  }
}
