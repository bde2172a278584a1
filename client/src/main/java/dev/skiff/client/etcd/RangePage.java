package dev.skiff.client.etcd;

import dev.skiff.proto.etcd.mvcc.KeyValue;
import java.util.List;

/**
 * One page of a range read.
 *
 * @param kvs the keys read, in key order
 * @param revision the store revision the read was served at
 * @param more whether keys beyond this page exist in the range
 * @param count the total number of keys in the range (not only this page)
 */
public record RangePage(List<KeyValue> kvs, long revision, boolean more, long count) {}
