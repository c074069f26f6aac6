package io.cellgate.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.health.SecurityEvent;
import io.cellgate.api.health.Severity;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventLimiterTest {

    private final FakeClock clock = new FakeClock();
    private final EventLimiter limiter = new EventLimiter(Duration.ofMinutes(5), 3);

    private EventLimiter.Outcome offer(String kind, String subject) {
        return limiter.offer(kind, subject, Severity.MEDIUM, "why", clock.instant());
    }

    @Test
    void offer_repeatsWithinInterval_oneEventWithCount() {
        assertThat(offer("login.burst", "10.9.9.9").reported()).isNotNull();
        clock.advance(Duration.ofMinutes(1));
        assertThat(offer("login.burst", "10.9.9.9").aggregated()).isTrue();
        clock.advance(Duration.ofMinutes(1));
        limiter.offer("login.burst", "10.9.9.9", Severity.HIGH, "again", clock.instant());

        assertThat(limiter.reported()).isEqualTo(1);
        assertThat(limiter.recent()).singleElement().satisfies(e -> {
            assertThat(e.count()).isEqualTo(3);
            assertThat(e.severity()).isEqualTo(Severity.HIGH);
            assertThat(e.explanation()).isEqualTo("why");
            assertThat(Duration.between(e.first(), e.last())).isEqualTo(Duration.ofMinutes(2));
        });
    }

    @Test
    void offer_afterInterval_newEvent_closeReturnsTheAggregatedOne() {
        offer("write.rate", "mes");
        offer("write.rate", "mes");
        clock.advance(Duration.ofMinutes(5));

        assertThat(limiter.close(clock.instant())).singleElement().extracting(SecurityEvent::count).isEqualTo(2L);
        assertThat(offer("write.rate", "mes").reported()).isNotNull();
        assertThat(limiter.reported()).isEqualTo(2);
    }

    @Test
    void offer_otherSubject_ownEvent() {
        offer("login.burst", "a");
        offer("login.burst", "b");

        assertThat(limiter.recent()).extracting(SecurityEvent::subject).containsExactly("a", "b");
    }

    @Test
    void offer_manySubjects_budgetThenOneSuppressedEvent() {
        for (int i = 0; i < 50; i++) {
            offer("new.client", "c" + i);
        }

        assertThat(limiter.reported()).isEqualTo(4);
        assertThat(limiter.recent()).last().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(EventLimiter.SUPPRESSED);
            assertThat(e.count()).isEqualTo(47);
            assertThat(e.explanation()).contains("more than 3").contains("new.client c3");
        });

        clock.advance(Duration.ofMinutes(5));
        assertThat(offer("new.client", "later").reported()).isNotNull();
    }

    @Test
    void recent_bounded() {
        EventLimiter big = new EventLimiter(Duration.ofSeconds(1), 1_000);
        for (int i = 0; i < EventLimiter.RECENT + 20; i++) {
            big.offer("k", "s" + i, Severity.LOW, "x", clock.instant());
        }

        assertThat(big.recent()).hasSize(EventLimiter.RECENT).first().extracting(SecurityEvent::subject).isEqualTo("s20");
    }
}
