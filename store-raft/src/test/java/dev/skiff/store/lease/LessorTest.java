package dev.skiff.store.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LessorTest {
    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final Lessor lessor = new Lessor(clock, 2);

    @Test
    void onlyThePrimaryExpiresLeases() {
        assertThat(lessor.grant(1, 5)).isEqualTo(5);
        assertThat(lessor.grant(2, 1)).isEqualTo(2); // raised to the minimum
        clock.advance(Duration.ofSeconds(10));
        assertThat(lessor.expired()).isEmpty();
        lessor.promote();
        clock.advance(Duration.ofSeconds(3));
        assertThat(lessor.expired()).containsExactly(2L);
        assertThat(lessor.expired()).isEmpty(); // not proposed twice while the revoke is in flight
        clock.advance(Duration.ofSeconds(4));
        assertThat(lessor.expired()).containsExactly(1L, 2L);
    }

    @Test
    void keepAliveRenewsOnPrimaryOnly() {
        lessor.grant(9, 4);
        assertThatThrownBy(() -> lessor.renew(9)).hasMessage("etcdserver: not leader");
        lessor.promote();
        clock.advance(Duration.ofSeconds(3));
        assertThat(lessor.renew(9)).isEqualTo(4);
        clock.advance(Duration.ofSeconds(3));
        assertThat(lessor.expired()).isEmpty();
        assertThat(lessor.lookup(9).remainingTtl()).isEqualTo(1);
        assertThatThrownBy(() -> lessor.renew(10)).hasMessage("etcdserver: requested lease not found");
    }

    @Test
    void newLeaderGivesEveryLeaseItsFullTtl() throws Exception {
        lessor.promote();
        lessor.grant(1, 10);
        lessor.attach(1, ByteString.copyFromUtf8("k"));
        clock.advance(Duration.ofSeconds(9));
        lessor.demote();
        // a snapshot moves to a member that becomes leader much later
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        lessor.write(new DataOutputStream(bytes));
        Lessor next = new Lessor(clock, 2);
        next.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        clock.advance(Duration.ofSeconds(30));
        next.promote();
        assertThat(next.expired()).isEmpty();
        assertThat(next.lookup(1).keys()).containsExactly(ByteString.copyFromUtf8("k"));
        clock.advance(Duration.ofSeconds(11));
        assertThat(next.expired()).containsExactly(1L);
    }

    @Test
    void grantErrors() {
        lessor.grant(1, 5);
        assertThatThrownBy(() -> lessor.grant(1, 5)).hasMessage("etcdserver: lease already exists");
        assertThatThrownBy(() -> lessor.grant(2, Lessor.MAX_TTL_SECONDS + 1)).hasMessage("etcdserver: too large lease TTL");
    }
}
