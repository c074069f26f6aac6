package io.cellgate.boundary.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesTest {

    @ParameterizedTest
    @CsvSource({
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:1:1:1:1:0:1, 2001:db8:1:1:1:1:0:1",
        "::, ::",
        "::1, ::1",
        "fe80::, fe80::",
        "FD00:AB::10, fd00:ab::10",
        "10.0.0.1, 10.0.0.1"})
    void format_literal_asNftablesPrintsIt(String in, String expected) {
        assertThat(Addresses.format(Addresses.literal(in).orElseThrow())).isEqualTo(expected);
    }

    @Test
    void literal_hostNamesAndNonsense_empty() {
        assertThat(Addresses.literal("plc.local")).isEmpty();
        assertThat(Addresses.literal("10.0.0.256")).isEmpty();
        assertThat(Addresses.literal("1.2.3")).isEmpty();
        assertThat(Addresses.literal("fe80::1%eth0")).isEmpty();
        assertThat(Addresses.literal("[2001:db8::1]")).isPresent();
    }

    @Test
    void cidrParse_validPrefixes_canonical() {
        assertThat(Addresses.Cidr.parse("10.1.0.0/16")).hasToString("10.1.0.0/16");
        assertThat(Addresses.Cidr.parse("10.1.2.3")).hasToString("10.1.2.3");
        assertThat(Addresses.Cidr.parse("FD00:0:0:1::/64")).hasToString("fd00:0:0:1::/64");
        assertThat(Addresses.Cidr.parse("0.0.0.0/0").family()).isEqualTo("ip");
    }

    @Test
    void cidrParse_bad_namesTheProblem() {
        assertThatThrownBy(() -> Addresses.Cidr.parse("10.1.2.3/16"))
                .hasMessage("'10.1.2.3/16' has host bits set: did you mean 10.1.0.0/16?");
        assertThatThrownBy(() -> Addresses.Cidr.parse("10.1.0.0/33"))
                .hasMessage("'10.1.0.0/33': the prefix length must be 0..32");
        assertThatThrownBy(() -> Addresses.Cidr.parse("office"))
                .hasMessage("'office' is not a network prefix such as 10.1.0.0/16 or fd00:1::/64");
        assertThatThrownBy(() -> Addresses.Cidr.parse("::ffff:10.0.0.0/104"))
                .hasMessageContaining("IPv4-mapped");
    }
}
