package dev.skiff.client.etcd;

import com.google.protobuf.ByteString;

/**
 * What to watch.
 *
 * @param key the first key
 * @param rangeEnd the end of the range (exclusive); empty for the single key
 * @param startRevision the first revision to report; 0 for "changes from now on"
 * @param progressNotify ask the store for periodic progress notifications
 * @param prevKv include the previous value in events
 */
public record WatchOptions(ByteString key, ByteString rangeEnd, long startRevision,
                           boolean progressNotify, boolean prevKv) {

  /** Every key under {@code prefix}, from {@code startRevision}. */
  public static WatchOptions prefix(ByteString prefix, long startRevision) {
    return new WatchOptions(prefix, EtcdClient.prefixEnd(prefix), startRevision, true, false);
  }

  public WatchOptions withPrevKv(boolean value) {
    return new WatchOptions(key, rangeEnd, startRevision, progressNotify, value);
  }
}
