package dev.skiff.apiserver.watchcache;

import com.google.protobuf.Message;
import dev.skiff.api.v1.WatchEventType;

/**
 * One change in the watch cache's ring: ADDED, MODIFIED or DELETED of {@code object} at
 * {@code revision}; {@code previous} is the object before the change (null for ADDED), used to
 * tell a filtered watcher that an object stopped (or started) matching.
 */
public record CacheEvent<T extends Message>(WatchEventType type, T object, T previous, long revision) {}
