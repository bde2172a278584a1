package dev.skiff.client.leader;

/**
 * Told about leadership changes, on the thread that observed them (the elector's thread, or the
 * caller of {@code tryAcquireOrRenew}). Keep them quick: start or stop your own threads.
 */
public interface LeaderCallbacks {
  /** This candidate now leads. */
  void onStartedLeading();

  /** This candidate no longer leads (lost the lease, could not renew in time, or closed). */
  void onStoppedLeading();

  /** Another (or this) candidate was seen holding the lease. */
  default void onNewLeader(String identity) {}
}
