package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecurityApiTest {

    private static final Set<String> USER = Set.of("name", "roles", "oneTime");

    @Test
    void parse_stringsBooleansAndStringLists() {
        assertThat(SecurityApi.parse("{\"name\": \"otto\", \"roles\": [\"Observer\"], \"oneTime\": true}", USER))
                .containsEntry("name", "otto").containsEntry("roles", List.of("Observer")).containsEntry("oneTime", true);
    }

    @Test
    void parse_badBodies_nameWhatAndWhere() {
        assertThatThrownBy(() -> SecurityApi.parse("{\"nam\": \"x\"}", USER)).hasMessage(
                "body: unknown member 'nam' (allowed: name, oneTime, roles)");
        assertThatThrownBy(() -> SecurityApi.parse("{\"roles\": [1]}", USER)).hasMessage("roles: expected a list of strings");
        assertThatThrownBy(() -> SecurityApi.parse("{\"name\": {}}", USER)).hasMessageStartingWith("name: expected a string");
        assertThatThrownBy(() -> SecurityApi.parse("{\"name\": \"a\", \"name\": \"b\"}", USER)).hasMessage("name: given twice");
        assertThatThrownBy(() -> SecurityApi.parse("[]", USER)).hasMessage("body: expected a JSON object");
        assertThatThrownBy(() -> SecurityApi.parse("{\"name\": ", USER)).hasMessageStartingWith("body: not valid JSON at line 1");
        assertThatThrownBy(() -> SecurityApi.parse("{} {}", USER)).hasMessage("body: trailing content after the JSON object");
    }
}
