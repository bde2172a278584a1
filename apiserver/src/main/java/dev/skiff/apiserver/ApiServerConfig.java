package dev.skiff.apiserver;

import dev.skiff.apiserver.chain.AdmissionPlugin;
import dev.skiff.apiserver.chain.Authenticator;
import dev.skiff.apiserver.chain.Authorizer;
import dev.skiff.apiserver.node.NetworkNodeDialer;
import dev.skiff.apiserver.node.NodeDialer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How an apiserver runs.
 *
 * @param watchCacheCapacity events kept per kind for watches that resume from a resourceVersion
 * @param watcherQueueSize events one watcher may lag behind before it is cut off
 * @param bookmarkInterval period of BOOKMARK events to watchers that allow them
 * @param storeTimeout deadline of every store call
 * @param nodeDialer how Pods/GetLogs and Pods/Exec reach node agents
 * @param authenticator first link of the request chain
 * @param authorizer second link
 * @param admission admission plugins, in order
 * @param clock time for timestamps (creation, deletion)
 * @param maxRequestsInFlight read-only requests served at once before the next is refused with
 *     "too many requests" (Kubernetes' --max-requests-inflight); 0: no limit
 * @param maxMutatingRequestsInFlight the same for mutating requests (--max-mutating-requests-inflight)
 */
public record ApiServerConfig(int watchCacheCapacity, int watcherQueueSize, Duration bookmarkInterval,
                              Duration storeTimeout, NodeDialer nodeDialer, Authenticator authenticator,
                              Authorizer authorizer, List<AdmissionPlugin> admission, Clock clock,
                              int maxRequestsInFlight, int maxMutatingRequestsInFlight) {
  public ApiServerConfig {
    if (watchCacheCapacity < 1 || watcherQueueSize < 1) {
      throw new IllegalArgumentException("watch cache capacity and watcher queue size must be positive");
    }
    Objects.requireNonNull(bookmarkInterval, "bookmarkInterval");
    Objects.requireNonNull(storeTimeout, "storeTimeout");
    Objects.requireNonNull(nodeDialer, "nodeDialer");
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(authorizer, "authorizer");
    admission = List.copyOf(admission);
    Objects.requireNonNull(clock, "clock");
    if (maxRequestsInFlight < 0 || maxMutatingRequestsInFlight < 0) {
      throw new IllegalArgumentException("in-flight limits must be 0 (none) or positive");
    }
  }

  /**
   * Defaults: 10,000 events per kind and per watcher, bookmarks every minute, permissive chain,
   * Kubernetes' in-flight limits (400 read-only, 200 mutating).
   */
  public static ApiServerConfig defaults() {
    return new ApiServerConfig(10_000, 10_000, Duration.ofMinutes(1), Duration.ofSeconds(10),
        new NetworkNodeDialer(), Authenticator.anonymous(), Authorizer.allowAll(), List.of(), Clock.systemUTC(), 400, 200);
  }

  public ApiServerConfig withNodeDialer(NodeDialer dialer) {
    return new ApiServerConfig(watchCacheCapacity, watcherQueueSize, bookmarkInterval, storeTimeout, dialer,
        authenticator, authorizer, admission, clock, maxRequestsInFlight, maxMutatingRequestsInFlight);
  }

  public ApiServerConfig withWatch(int cacheCapacity, int queueSize, Duration bookmarks) {
    return new ApiServerConfig(cacheCapacity, queueSize, bookmarks, storeTimeout, nodeDialer,
        authenticator, authorizer, admission, clock, maxRequestsInFlight, maxMutatingRequestsInFlight);
  }

  public ApiServerConfig withChain(Authenticator authn, Authorizer authz, List<AdmissionPlugin> plugins) {
    return new ApiServerConfig(watchCacheCapacity, watcherQueueSize, bookmarkInterval, storeTimeout, nodeDialer,
        authn, authz, plugins, clock, maxRequestsInFlight, maxMutatingRequestsInFlight);
  }

  public ApiServerConfig withClock(Clock c) {
    return new ApiServerConfig(watchCacheCapacity, watcherQueueSize, bookmarkInterval, storeTimeout, nodeDialer,
        authenticator, authorizer, admission, c, maxRequestsInFlight, maxMutatingRequestsInFlight);
  }

  public ApiServerConfig withInFlightLimits(int readOnly, int mutating) {
    return new ApiServerConfig(watchCacheCapacity, watcherQueueSize, bookmarkInterval, storeTimeout, nodeDialer,
        authenticator, authorizer, admission, clock, readOnly, mutating);
  }
}
