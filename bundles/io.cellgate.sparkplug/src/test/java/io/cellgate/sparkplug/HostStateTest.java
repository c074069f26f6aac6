package io.cellgate.sparkplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.sparkplug.PrimaryHostTracker.Action;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostStateTest {

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void parse_validPayload_roundTripsThroughToJson() {
        HostState s = HostState.parse(json(" {\"timestamp\": 1700000000123, \"online\": true, \"extra\": {\"a\":[1]}} "));
        assertThat(s).isEqualTo(new HostState(true, 1700000000123L));
        assertThat(HostState.parse(s.toJson())).isEqualTo(s);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"online\":\"true\",\"timestamp\":1}|'online' must be true or false",
        "{\"online\":true,\"timestamp\":1.5}|'timestamp' must be an integer",
        "{\"online\":true,\"timestamp\":\"1\"}|'timestamp' must be an integer",
        "{\"online\":true,\"timestamp\":-1}|must be >= 0",
        "{\"online\":true,\"timestamp\":99999999999999999999}|must be an integer",
        "{\"online\":true}|lacks 'timestamp'",
        "{\"timestamp\":1}|lacks 'online'",
        "{\"online\":true,\"online\":false,\"timestamp\":1}|not valid JSON",
        "[true,1]|not a JSON object",
        "{\"online\":true,\"timestamp\":1} x|not valid JSON",
        "{\"online\":true,\"timestamp\":1}{}|content after",
        "ONLINE|not valid JSON"})
    void parse_hostilePayload_isRefusedSayingWhat(String payload, String message) {
        assertThatThrownBy(() -> HostState.parse(json(payload))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void parse_emptyOrHuge_isRefused() {
        assertThatThrownBy(() -> HostState.parse(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> HostState.parse(new byte[5000])).hasMessageContaining("5000 bytes");
    }

    @Test
    void tracker_onlineThenOffline_goesOnlineThenOffline() {
        PrimaryHostTracker t = new PrimaryHostTracker("scada");
        assertThat(t.onState(new HostState(true, 100)).action()).isEqualTo(Action.BECAME_ONLINE);
        assertThat(t.isOnline()).isTrue();
        assertThat(t.onState(new HostState(true, 100)).action()).isEqualTo(Action.STILL_ONLINE);
        // the host's Will carries the timestamp of its birth: equal means offline
        assertThat(t.onState(new HostState(false, 100)).action()).isEqualTo(Action.WENT_OFFLINE);
        assertThat(t.isOnline()).isFalse();
        assertThat(t.onState(new HostState(false, 100)).action()).isEqualTo(Action.STILL_OFFLINE);
    }

    @Test
    void tracker_lateDeathOfAnOldHostSession_isStale() {
        PrimaryHostTracker t = new PrimaryHostTracker("scada");
        t.onState(new HostState(true, 200));
        PrimaryHostTracker.Decision d = t.onState(new HostState(false, 150));
        assertThat(d.action()).isEqualTo(Action.STALE);
        assertThat(d.detail()).contains("150").contains("200");
        assertThat(t.isOnline()).isTrue();
    }

    @Test
    void tracker_oldOnlineAfterOffline_isStaleAndNewerOnlineIsAccepted() {
        PrimaryHostTracker t = new PrimaryHostTracker("scada");
        t.onState(new HostState(true, 100));
        t.onState(new HostState(false, 100));
        assertThat(t.onState(new HostState(true, 100)).action()).isEqualTo(Action.STALE);
        assertThat(t.onState(new HostState(true, 90)).action()).isEqualTo(Action.STALE);
        assertThat(t.onState(new HostState(true, 300)).action()).isEqualTo(Action.BECAME_ONLINE);
    }

    @Test
    void tracker_offlineFirst_isHonouredAndBlocksBirths() {
        PrimaryHostTracker t = new PrimaryHostTracker("scada");
        PrimaryHostTracker.Decision d = t.onState(new HostState(false, 50));
        assertThat(d.action()).isEqualTo(Action.STILL_OFFLINE);
        assertThat(d.mayPublish()).isFalse();
    }

    @Test
    void tracker_newSession_needsTheRetainedStateAgain() {
        PrimaryHostTracker t = new PrimaryHostTracker("scada");
        t.onState(new HostState(true, 100));
        t.newSession();
        assertThat(t.isOnline()).isFalse();
        assertThat(t.onState(new HostState(true, 100)).action()).isEqualTo(Action.BECAME_ONLINE);
    }

    @Test
    void tracker_onMessage_filtersTopicsAndInvalidPayloads() {
        PrimaryHostTracker t = new PrimaryHostTracker("scada");
        assertThat(t.topic().format()).isEqualTo("spBv1.0/STATE/scada");
        assertThat(t.onMessage("spBv1.0/STATE/other", new HostState(true, 1).toJson()).action()).isEqualTo(Action.OTHER_HOST);
        assertThat(t.onMessage("spBv1.0/STATE/scada", json("ONLINE")).action()).isEqualTo(Action.INVALID);
        assertThat(t.onMessage("spBv1.0/plant/NCMD/cell7", json("{}")).action()).isEqualTo(Action.INVALID);
        assertThat(t.onMessage("garbage", null).action()).isEqualTo(Action.INVALID);
        assertThat(t.isOnline()).isFalse();
        assertThat(t.onMessage("spBv1.0/STATE/scada", new HostState(true, 1).toJson()).mayPublish()).isTrue();
    }
}
