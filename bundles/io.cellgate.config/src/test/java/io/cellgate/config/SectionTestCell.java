package io.cellgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fixture of the tests of one cell.yaml section: a valid ten-line cell with one device and its profile, to which
 * a test appends its section (starting on line 11, so that positions in expected errors stay readable).
 */
final class SectionTestCell {

    /** Ten lines; the section a test appends starts on line 11. */
    static final String CELL = """
            cell:
              id: line-1
            devices:
              - id: meter-1
                profile: meter
                endpoint: { protocol: modbus-tcp, host: 192.168.1.10 }
            #
            #
            #
            #
            """;

    private SectionTestCell() {
    }

    /** Writes the cell with {@code section} appended (and the profile) into {@code dir} and loads it. */
    static LoadResult load(Path dir, String section) throws IOException {
        Files.createDirectories(dir.resolve("profiles"));
        Files.writeString(dir.resolve("profiles/meter.yaml"), """
                profile: { id: meter }
                tags:
                  - { name: v, area: holding_register, address: 0, type: int16 }
                """);
        Files.writeString(dir.resolve("cell.yaml"), CELL + section);
        return CellConfigLoader.load(dir);
    }

    /** The one error of an invalid result, as {@code file:line:col: path: message}. */
    static String single(LoadResult r) {
        assertThat(r.isValid()).isFalse();
        assertThat(r.errors()).as(r.errorReport()).hasSize(1);
        return r.errors().get(0).toString();
    }
}
