package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writeValue_scalars_areReturnedAsText() {
        assertThat(Json.writeValue("{\"value\": 12.5}")).isEqualTo("12.5");
        assertThat(Json.writeValue("{\"value\": true}")).isEqualTo("true");
        assertThat(Json.writeValue("{\"value\": \"on\"}")).isEqualTo("on");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[1]                          | body: expected a JSON object",
        "{}                           | value: missing",
        "{\"value\": 1, \"x\": 2}     | body: unknown member 'x'",
        "{\"value\": 1, \"value\": 2} | body: 'value' given twice",
        "{\"value\": [1]}             | value: expected a number, boolean or string, got [",
        "{\"value\": null}            | value: expected a number, boolean or string, got null",
        "{\"value\": 1} {}            | body: trailing content",
        "{\"value\": 1                | body: not valid JSON at line 1",
        "not json                     | body: not valid JSON at line 1",
    })
    void writeValue_badBodies_namesTheProblem(String body, String message) {
        assertThatThrownBy(() -> Json.writeValue(body)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void error_escapesTheMessage() {
        assertThat(Json.error("a \"quoted\" <b>")).isEqualTo("{\"error\":\"a \\\"quoted\\\" <b>\"}");
    }
}
