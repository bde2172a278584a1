package dev.skiff.client.etcd;

import dev.skiff.proto.etcd.mvcc.KeyValue;
import java.util.Optional;

/**
 * The outcome of a guarded write (create-if-absent, update or delete at a mod revision).
 *
 * @param succeeded whether the guard held and the write was applied
 * @param revision the store revision after the call (the write's revision when it succeeded)
 * @param current when the guard failed: the key's current value, empty when the key is absent
 */
public record CasResult(boolean succeeded, long revision, Optional<KeyValue> current) {}
