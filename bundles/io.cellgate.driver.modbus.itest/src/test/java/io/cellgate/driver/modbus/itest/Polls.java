package io.cellgate.driver.modbus.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.driver.DeviceSession;
import io.cellgate.api.tag.TagValue;

/** Polling with a hang guard: a bound far above the timeout budget, not a performance assertion. */
final class Polls {

    private Polls() {
    }

    static Map<String, TagValue> poll(DeviceSession session, String group, Duration hangGuard) {
        Map<String, TagValue> values = assertTimeoutPreemptively(hangGuard, () -> session.poll(group),
                "poll(" + group + ") hung");
        assertThat(values).as("poll(%s) result", group).isNotNull();
        return values;
    }

    /**
     * Polls until every value satisfies {@code done} or {@code maxPolls} polls were made, pacing the polls
     * like the scheduler would. Returns the last result.
     */
    static Map<String, TagValue> pollUntil(DeviceSession session, String group, Duration hangGuard, int maxPolls,
            long intervalMillis, Predicate<TagValue> done) throws InterruptedException {
        Map<String, TagValue> values = Map.of();
        for (int i = 0; i < maxPolls; i++) {
            if (i > 0) {
                Thread.sleep(intervalMillis);
            }
            values = poll(session, group, hangGuard);
            if (!values.isEmpty() && values.values().stream().allMatch(done)) {
                return values;
            }
        }
        return values;
    }

    /** Tag names of a poll group. */
    static java.util.Set<String> tagsOf(DeviceProfile profile, String group) {
        return profile.tags().stream().filter(t -> t.pollGroup().equals(group)).map(t -> t.name())
                .collect(java.util.stream.Collectors.toSet());
    }
}
