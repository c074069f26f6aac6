package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiMethodsTest {

    private final ApiMethods api = ApiMethods.documented();

    @Test
    void documented_devices_deleteAndPutOnlyWhereListed() {
        assertThat(api.allowed("/api/v1/devices/plc-2")).contains(List.of("GET", "POST", "DELETE"));
        assertThat(api.allowed("/api/v1/devices/plc-2/tags.csv")).contains(List.of("GET", "POST", "PUT"));
        assertThat(api.allows("/api/v1/devices/plc-2/delete", "POST")).isTrue();
        assertThat(api.allows("/api/v1/devices/plc-2/delete", "DELETE")).isFalse();
        assertThat(api.allows("/api/v1/devices", "DELETE")).isFalse();
        assertThat(api.allowHeader("/api/v1/status")).isEqualTo("GET");
        assertThat(api.allowHeader("/api/v1/tags/plc-2/speed")).isEqualTo("GET, POST");
    }

    @Test
    void documented_noPutOrDeleteOutsideTheDevices() {
        // Every other resource treats a method but POST as a read: it must never see PUT or DELETE.
        for (String path : List.of("/api/v1/config", "/api/v1/snapshots/3", "/api/v1/components/cellgate.valuelog",
                "/api/v1/security/users", "/api/v1/security/users/otto/roles", "/api/v1/audit")) {
            assertThat(api.allowed(path)).as(path).isPresent();
            assertThat(api.allows(path, "PUT") || api.allows(path, "DELETE")).as(path).isFalse();
        }
    }

    @Test
    void allowed_undocumentedOrEmptySegment_empty() {
        assertThat(api.allowed("/api/v1/nope")).isEmpty();
        assertThat(api.allowed("/api/v1/devices/")).isEmpty();
        assertThat(api.allowed("/api/v2/status")).isEmpty();
        assertThat(api.allowHeader("/api/v1/nope")).isEqualTo("GET, POST, PUT, DELETE");
    }

    @Test
    void parse_literalSegmentBeatsAParameter_nonMethodMembersIgnored() throws IOException {
        ApiMethods m = ApiMethods.parse(new ByteArrayInputStream("""
                {"openapi": "3.0.3", "paths": {
                  "/a/{x}": {"parameters": [{"name": "x"}], "get": {"responses": {"200": {}}}},
                  "/a/b": {"delete": {}, "summary": "s"}},
                 "components": {"paths": {"/a/c": {"put": {}}}}}
                """.getBytes(StandardCharsets.UTF_8)));

        assertThat(m.allowed("/api/v1/a/b")).contains(List.of("DELETE"));
        assertThat(m.allowed("/api/v1/a/c")).contains(List.of("GET"));
        assertThat(m.allowed("/api/v1/a")).isEmpty();
    }

    @Test
    void changes_onlyGetAndHeadAreSafe() {
        assertThat(List.of("GET", "HEAD", "POST", "PUT", "DELETE").stream().filter(ApiMethods::changes))
                .containsExactly("POST", "PUT", "DELETE");
    }
}
