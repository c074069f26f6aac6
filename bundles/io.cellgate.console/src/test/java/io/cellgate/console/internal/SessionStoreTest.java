package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.identity.Identity;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionStoreTest {

    private static final Identity OTTO = new Identity("otto", Set.of("Observer"), Identity.Kind.USER);

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T08:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final SessionStore store = new SessionStore(clock, new SecureRandom(), Duration.ofMinutes(15), Duration.ofHours(8), 3);

    @Test
    void open_twice_givesDifferentRandomIdsAndTokens() {
        Session a = store.open(OTTO, false, "127.0.0.1:1");
        Session b = store.open(OTTO, false, "127.0.0.1:2");
        assertThat(a.id()).isNotEqualTo(b.id()).hasSize(43);
        assertThat(a.csrfToken()).isNotEqualTo(a.id()).isNotEqualTo(b.csrfToken());
    }

    @Test
    void use_afterIdleTimeout_isEmpty() {
        Session s = store.open(OTTO, false, null);
        clock.now = clock.now.plus(Duration.ofMinutes(14));
        assertThat(store.use(s.id())).isPresent();
        clock.now = clock.now.plus(Duration.ofMinutes(15));
        assertThat(store.use(s.id())).isEmpty();
    }

    @Test
    void use_pastMaximumLength_isEmptyEvenWhenUsedAllAlong() {
        Session s = store.open(OTTO, false, null);
        for (int i = 0; i < 8 * 6; i++) {
            clock.now = clock.now.plus(Duration.ofMinutes(10));
            store.use(s.id());
        }
        assertThat(store.use(s.id())).isEmpty();
    }

    @Test
    void close_endsTheSession() {
        Session s = store.open(OTTO, false, null);
        store.close(s.id());
        assertThat(store.use(s.id())).isEmpty();
        assertThat(store.use(null)).isEmpty();
        assertThat(store.use("made-up")).isEmpty();
    }

    @Test
    void open_beyondTheMaximum_dropsTheLeastRecentlyUsed() {
        Session first = store.open(OTTO, false, null);
        clock.now = clock.now.plusSeconds(1);
        Session second = store.open(OTTO, false, null);
        clock.now = clock.now.plusSeconds(1);
        store.use(first.id());
        store.open(OTTO, false, null);
        store.open(OTTO, false, null);
        assertThat(store.size()).isEqualTo(3);
        assertThat(store.use(second.id())).isEmpty();
        assertThat(store.use(first.id())).isPresent();
    }

    @Test
    void closeAll_endsEverySessionOfThatUserOnly() {
        Session a = store.open(OTTO, false, null);
        Session b = store.open(new Identity("Anna", Set.of(), Identity.Kind.USER), false, null);
        store.closeAll("OTTO");
        assertThat(store.use(a.id())).isEmpty();
        assertThat(store.use(b.id())).isPresent();
    }

    @Test
    void sameToken_comparesWholeValues() {
        assertThat(SessionStore.sameToken("abc", "abc")).isTrue();
        assertThat(SessionStore.sameToken("abc", "abd")).isFalse();
        assertThat(SessionStore.sameToken("abc", "ab")).isFalse();
        assertThat(SessionStore.sameToken("abc", null)).isFalse();
        assertThat(SessionStore.sameToken(null, null)).isFalse();
    }
}
