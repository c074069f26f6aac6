package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagPath;
import org.junit.jupiter.api.Test;

class ValuesTest {

    private static TagInfo tag(DataType type, boolean scaled) {
        return new TagInfo(new TagPath("oven-1", "sp"), type, scaled, null, null, true, null, null, 0, "fast", 1000);
    }

    @Test
    void parse_wholeNumberForIntegerTag_isLong() {
        assertThat(Values.parse(tag(DataType.UINT16, false), " 42 ", "value")).isEqualTo(42L);
    }

    @Test
    void parse_fractionForIntegerTag_namesFieldAndTag() {
        assertThatThrownBy(() -> Values.parse(tag(DataType.INT16, false), "4.5", "value"))
                .hasMessage("value: '4.5' is not a whole number in range for oven-1/sp (int16)");
    }

    @Test
    void parse_scaledTag_isDouble() {
        assertThat(Values.parse(tag(DataType.UINT16, true), "12.5", "value")).isEqualTo(12.5);
    }

    @Test
    void parse_text_forNumberTag_isRefusedWithClippedEcho() {
        assertThatThrownBy(() -> Values.parse(tag(DataType.FLOAT32, false), "x".repeat(100), "value"))
                .hasMessageStartingWith("value: '" + "x".repeat(40) + "...' is not a number for oven-1/sp");
    }

    @Test
    void parse_booleans() {
        assertThat(Values.parse(tag(DataType.BOOL, false), "TRUE", "value")).isEqualTo(true);
        assertThat(Values.parse(tag(DataType.BOOL, false), "0", "value")).isEqualTo(false);
        assertThatThrownBy(() -> Values.parse(tag(DataType.BOOL, false), "yes", "value"))
                .hasMessageContaining("is not a boolean");
    }

    @Test
    void parse_emptyOrHugeInput_isRefused() {
        assertThatThrownBy(() -> Values.parse(tag(DataType.INT32, false), " ", "value")).hasMessage("value: a value is required");
        assertThatThrownBy(() -> Values.parse(tag(DataType.INT32, false), null, "value")).hasMessage("value: a value is required");
        assertThatThrownBy(() -> Values.parse(tag(DataType.STRING, false), "a".repeat(257), "value"))
                .hasMessage("value: 257 characters; at most 256");
        assertThatThrownBy(() -> Values.parse(tag(DataType.FLOAT64, false), "1e400", "value"))
                .hasMessageContaining("out of range");
    }
}
