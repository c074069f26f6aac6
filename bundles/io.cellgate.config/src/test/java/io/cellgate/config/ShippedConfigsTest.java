package io.cellgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.config.CellConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every cell and profile shipped in device-configs/ must load without a single error. */
class ShippedConfigsTest {

    private static final Path ROOT = Path.of(System.getProperty("cellgate.deviceConfigs", "../../device-configs"));

    static List<Path> cells() throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve("cells"))) {
            return s.filter(d -> Files.isRegularFile(d.resolve("cell.yaml"))).sorted().toList();
        }
    }

    static List<Path> profiles() throws IOException {
        try (Stream<Path> s = Files.list(ROOT.resolve("profiles"))) {
            return s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void shipped_atLeastTheDocumentedFiles_exist() throws IOException {
        assertThat(cells()).extracting(p -> p.getFileName().toString())
                .contains("demo", "press-line", "packaging-rtu");
        assertThat(profiles()).hasSizeGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest
    @MethodSource("cells")
    void load_shippedCell_hasNoErrors(Path cell) {
        LoadResult r = CellConfigLoader.load(cell);

        assertThat(r.errors()).as(r.errorReport()).isEmpty();
        assertThat(r.config()).isPresent();
    }

    @ParameterizedTest
    @MethodSource("profiles")
    void validateProfile_shippedProfile_hasNoErrors(Path profile) {
        assertThat(CellConfigLoader.validateProfile(profile)).isEmpty();
    }

    @Test
    void load_demoCell_matchesWhatTheSimulatorServes() {
        CellConfig demo = CellConfigLoader.load(ROOT.resolve("cells/demo")).config().orElseThrow();

        assertThat(demo.devices()).extracting(d -> d.endpoint().host() + ":" + d.endpoint().port() + "/"
                + d.unitId() + " " + d.profile())
                .containsExactly("127.0.0.1:15020/1 energy-meter-em24", "127.0.0.1:15021/1 vfd-acs580",
                        "127.0.0.1:15022/1 temp-controller-3216");
        assertThat(demo.devices()).allSatisfy(d -> assertThat(d.pollGroups())
                .allSatisfy(g -> assertThat(g.intervalMillis()).isEqualTo(1000)));
    }
}
