package io.cellgate.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.config.DeviceProfile;
import io.cellgate.config.CellConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The library the console offers for the shipped cells (the demo's and the examples'): every shipped profile. */
class ProfileLibraryTest {

    private static final Path ROOT = Path.of(System.getProperty("cellgate.deviceConfigs", "../../device-configs"));

    static Stream<Path> cells() throws Exception {
        return Files.list(ROOT.resolve("cells")).filter(Files::isDirectory).sorted();
    }

    @ParameterizedTest
    @MethodSource("cells")
    void scan_shippedCell_offersEveryShippedProfileWithVendorAndModel(Path cell) throws Exception {
        var applied = CellConfigLoader.load(cell).config().orElseThrow().profiles();
        String[] shipped;
        try (Stream<Path> s = Files.list(ROOT.resolve("profiles"))) {
            shipped = s.map(p -> p.getFileName().toString().replaceFirst("\\.yaml$", "")).sorted().toArray(String[]::new);
        }

        ProfileLibrary library = ProfileLibrary.scan(cell, CellLoader.searchPath(cell), applied);

        assertThat(library.problems()).isEmpty();
        assertThat(library.profiles().keySet()).containsExactly(shipped);
        assertThat(library.profiles().values()).allSatisfy(p -> assertThat(p.vendor()).as(p.id()).isNotBlank())
                .extracting(DeviceProfile::model).doesNotContainNull();
    }
}
