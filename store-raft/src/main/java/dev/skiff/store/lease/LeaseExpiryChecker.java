package dev.skiff.store.lease;

import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's lease checker (etcd's {@code revokeExpiredLeases}): each {@link #step()}
 * proposes a revoke for every lease the primary {@link Lessor} finds expired. The revoke
 * is a Raft log entry, so every member deletes the lease's keys at the same revision,
 * once. Steppable: the owner schedules it; it starts no thread.
 */
public final class LeaseExpiryChecker {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseExpiryChecker.class);

    private final Lessor lessor;
    private final LongConsumer proposeRevoke;

    public LeaseExpiryChecker(Lessor lessor, LongConsumer proposeRevoke) {
        this.lessor = lessor;
        this.proposeRevoke = proposeRevoke;
    }

    /** Returns how many revokes were proposed. */
    public int step() {
        int n = 0;
        for (long id : lessor.expired()) {
            LOG.info("lease {} expired: proposing revoke", Long.toHexString(id));
            proposeRevoke.accept(id);
            n++;
        }
        return n;
    }
}
