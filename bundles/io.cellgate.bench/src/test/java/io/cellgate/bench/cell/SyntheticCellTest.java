package io.cellgate.bench.cell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.config.CellConfig;
import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.tag.DataType;
import io.cellgate.config.CellConfigLoader;
import io.cellgate.config.LoadResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCellTest {

    @Test
    void write_standardCell_loadsWith10000TagsOn40Devices(@TempDir Path dir) throws IOException {
        SyntheticCell.standard().write(dir);

        LoadResult result = CellConfigLoader.load(dir);

        assertThat(result.errors()).isEmpty();
        CellConfig cell = result.config().orElseThrow();
        assertThat(cell.devices()).hasSize(40);
        int tags = cell.devices().stream().mapToInt(d -> cell.profiles().get(d.profile()).tags().size()).sum();
        assertThat(tags).isEqualTo(10_000);
        assertThat(cell.devices()).extracting(d -> d.endpoint().port()).doesNotHaveDuplicates()
                .allMatch(p -> p >= 16_000 && p < 16_040);
        assertThat(cell.devices()).extracting(DeviceConfig::maxGap).containsOnly(8);
    }

    @Test
    void write_standardCell_hasARealisticMix(@TempDir Path dir) throws IOException {
        SyntheticCell.standard().write(dir);
        List<TagDefinition> all = CellConfigLoader.load(dir).config().orElseThrow().profiles().values().stream()
                .flatMap(p -> p.tags().stream()).toList();

        assertThat(all).extracting(TagDefinition::area).contains(RegisterArea.values());
        assertThat(all).extracting(TagDefinition::dataType).contains(DataType.BOOL, DataType.BIT, DataType.INT16,
                DataType.UINT16, DataType.INT32, DataType.UINT32, DataType.FLOAT32, DataType.INT64, DataType.FLOAT64,
                DataType.STRING);
        assertThat(all).extracting(TagDefinition::pollGroup).contains("fast", "slow");
        long slow = all.stream().filter(t -> t.pollGroup().equals("slow")).count();
        assertThat(slow).isBetween(all.size() / 10L, all.size() / 2L);
    }

    @Test
    void write_sameSeed_sameFiles(@TempDir Path a, @TempDir Path b) throws IOException {
        SyntheticCell.standard().write(a);
        SyntheticCell.standard().write(b);

        assertThat(Files.readString(a.resolve("cell.yaml"))).isEqualTo(Files.readString(b.resolve("cell.yaml")));
        assertThat(Files.readString(a.resolve("profiles/synth-07.yaml")))
                .isEqualTo(Files.readString(b.resolve("profiles/synth-07.yaml")));
    }

    @Test
    void constructor_portsBeyond65535_rejected() {
        assertThatThrownBy(() -> new SyntheticCell(1, 40, 10, 250, "127.0.0.1", 65_500))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65500..65539");
    }
}
