package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ComponentsApiTest {

    @Test
    void fields_scalarsAndArrays_areReturnedAsText() {
        assertThat(ComponentsApi.fields("{\"a\": 1, \"b\": true, \"c\": \"x\", \"d\": [1.5, \"y\"]}"))
                .containsEntry("a", List.of("1")).containsEntry("b", List.of("true")).containsEntry("c", List.of("x"))
                .containsEntry("d", List.of("1.5", "y"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[1]                   | body: expected a JSON object",
        "{\"a\": null}         | a: expected a number, boolean or string (or an array of them), got null",
        "{\"a\": [[1]]}        | a: expected a number, boolean or string (or an array of them), got [",
        "{\"a\": 1, \"a\": 2}  | a: given twice",
        "{\"a\": 1} {}         | body: trailing content",
        "{\"a\": 1             | body: not valid JSON at line 1",
    })
    void fields_badBody_isNamed(String body, String message) {
        assertThatThrownBy(() -> ComponentsApi.fields(body)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void fields_overlongNumberOrText_isRefusedWithoutJacksonInternals() {
        assertThatThrownBy(() -> ComponentsApi.fields("{\"a\": " + "1".repeat(1000) + "}"))
                .hasMessageStartingWith("body: refused: Number value length (1000) exceeds the maximum allowed (64")
                .hasMessageNotContaining("StreamReadConstraints");
        assertThatThrownBy(() -> Json.writeValue("{\"value\": \"" + "x".repeat(2000) + "\"}"))
                .hasMessageStartingWith("body: refused: String value length")
                .hasMessageNotContaining("StreamReadConstraints");
    }
}
