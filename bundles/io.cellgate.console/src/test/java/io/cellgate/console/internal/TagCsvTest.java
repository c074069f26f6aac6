package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.ByteOrder;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.config.WordOrder;
import io.cellgate.api.tag.DataType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TagCsvTest {

    private static final DeviceProfile METER = new DeviceProfile("meter", "ACME", "M1", null, List.of(
            new TagDefinition("voltage", RegisterArea.INPUT_REGISTER, 0, DataType.INT32, -1, 0, ByteOrder.BIG_ENDIAN,
                    WordOrder.LOW_FIRST, 0.1, 0, "V", "L1-N voltage", Access.READ_ONLY, null, null, 0.5, null),
            new TagDefinition("setpoint", RegisterArea.HOLDING_REGISTER, 10, DataType.UINT16, -1, 0,
                    ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST, 1, 0, "rpm", null, Access.READ_WRITE, 0.0, 1000.0, 0,
                    null),
            new TagDefinition("running", RegisterArea.COIL, 3, DataType.BOOL, -1, 0, ByteOrder.BIG_ENDIAN,
                    WordOrder.HIGH_FIRST, 1, 0, null, "Motor, running", Access.READ_ONLY, null, null, 0, null)));

    private static final String HEADER = "name,area,address,type,unit,description,scale,offset,access,min,max,deadband,pollGroup";

    @Test
    void export_profileOnly_oneRowPerTagWithTheEffectiveValues() {
        assertThat(TagCsv.export(METER, Map.of())).isEqualTo(HEADER + "\r\n"
                + "voltage,input_register,0,int32,V,L1-N voltage,0.1,0,read_only,,,0.5,\r\n"
                + "setpoint,holding_register,10,uint16,rpm,,1,0,read_write,0,1000,0,\r\n"
                + "running,coil,3,bool,,\"Motor, running\",,,read_only,,,,\r\n");
    }

    @Test
    void exportThenParse_unchanged_noOverrides() {
        TagCsv.Parsed p = TagCsv.parse(TagCsv.export(METER, Map.of()), METER);

        assertThat(p.errors()).isEmpty();
        assertThat(p.overrides()).isEmpty();
    }

    @Test
    void exportThenParse_existingOverrides_roundTrip() {
        Map<String, Object> overrides = Map.of("voltage", Map.of("unit", "kV", "scale", "0.0001"));

        String csv = TagCsv.export(METER, overrides);
        TagCsv.Parsed p = TagCsv.parse(csv, METER);

        assertThat(csv).contains("voltage,input_register,0,int32,kV,L1-N voltage,0.0001,0,read_only");
        assertThat(p.errors()).isEmpty();
        assertThat(p.overrides()).isEqualTo(Map.of("voltage", Map.of("unit", "kV", "scale", 0.0001)));
    }

    @Test
    void parse_changedFields_onlyTheDifferencesBecomeOverridesInColumnOrder() {
        TagCsv.Parsed p = TagCsv.parse(HEADER + "\n"
                + "voltage,input_register,0,int32,V,Incomer L1,0.1,0,read_only,,,2,\n"
                + "setpoint,holding_register,10,uint16,rpm,,1,0,read_only,0,800,0,slow\n"
                + "running,coil,3,bool,,\"Motor, running\",,,read_only,,,,\n", METER);

        assertThat(p.errors()).isEmpty();
        assertThat(p.overrides()).containsExactly(
                Map.entry("voltage", Map.of("description", "Incomer L1", "deadband", 2.0)),
                Map.entry("setpoint", Map.of("access", "read_only", "max", 800.0, "pollGroup", "slow")));
        assertThat(p.overrides().get("setpoint").keySet()).containsExactly("access", "max", "pollGroup");
    }

    @Test
    void parse_badRows_everyProblemAtItsRowAndColumnNothingApplied() {
        TagCsv.Parsed p = TagCsv.parse(HEADER + "\n"
                + "voltage,input_register,1,int32,V,,abc,0,read_write,,,-1,\n"
                + "setpoint,holding_register,10,uint16,rpm,,0,0,write,,,,fast lane\n"
                + "running,coil,3,bool,,,2,,read_only,,,,\n"
                + "nope,coil,3,bool,,,,,read_only,,,,\n"
                + "running,coil,3,bool,,,,,read_only,,,,\n"
                + "short,row\n", METER);

        assertThat(p.overrides()).isEmpty();
        assertThat(p.errors()).extracting(TagCsv.RowError::toString).containsExactly(
                "row 2, column address: '1' differs from the profile's '0': the register map comes from the profile and cannot be changed per device",
                "row 2, column scale: 'abc' is not a number",
                "row 2, column access: input_register cannot be written (Modbus writes only coil and holding_register): use read_only",
                "row 2, column deadband: must not be negative (0 reports every change)",
                "row 3, column scale: must not be 0 (it would turn every value into the offset)",
                "row 3, column access: 'write' is not read_only or read_write",
                "row 3, column pollGroup: 'fast lane' is not a poll group name (letters, digits, '_', '-', '.')",
                "row 4, column scale: 'scale' applies only to numeric tags; 'running' is bool (leave it empty)",
                "row 5, column name: profile 'meter' has no tag 'nope'",
                "row 6, column name: tag 'running' is also in row 4",
                "row 7: 2 fields, the header has 13");
    }

    @Test
    void parse_badHeaderOrShape_reportedAtRowOne() {
        assertThat(TagCsv.parse("", METER).errors()).extracting(TagCsv.RowError::toString)
                .containsExactly("row 1: the file is empty: expected a header row (" + HEADER + ")");
        assertThat(TagCsv.parse("tag,unit,colour\n", METER).errors()).extracting(TagCsv.RowError::toString)
                .containsExactly("row 1, column tag: unknown column (the columns are " + String.join(", ", TagCsv.COLUMNS) + ")",
                        "row 1, column colour: unknown column (the columns are " + String.join(", ", TagCsv.COLUMNS) + ")",
                        "row 1, column name: the column is missing: every row needs the tag's name");
        assertThat(TagCsv.parse("name,unit\nvoltage,\"kV\n", METER).errors()).extracting(TagCsv.RowError::toString)
                .containsExactly("row 2: a quoted field is not closed");
    }

    @Test
    void parse_missingTag_refusedSoATruncatedFileCannotResetTags() {
        TagCsv.Parsed p = TagCsv.parse("name,unit\nvoltage,kV\nsetpoint,rpm\n", METER);

        assertThat(p.overrides()).isEmpty();
        assertThat(p.errors()).extracting(TagCsv.RowError::toString).containsExactly("row 4, column name: tag 'running' "
                + "of profile 'meter' has no row: the file must list every tag (export the list to start from)");
    }

    @Test
    void parse_fewerColumnsBomAndCrlf_emptyCellsMeanTheProfilesValue() {
        TagCsv.Parsed p = TagCsv.parse("\uFEFFname,unit,max\r\nvoltage,kV,\r\nsetpoint,,\r\nrunning,,\r\n", METER);

        assertThat(p.errors()).isEmpty();
        assertThat(p.overrides()).isEqualTo(Map.of("voltage", Map.of("unit", "kV")));
    }

    @Test
    void export_textAFormulaCouldStartWith_quotedAndDefused() {
        DeviceProfile p = new DeviceProfile("x", null, null, null, List.of(new TagDefinition("t",
                RegisterArea.COIL, 0, DataType.BOOL, -1, 0, ByteOrder.BIG_ENDIAN, WordOrder.HIGH_FIRST, 1, 0, null,
                "=HYPERLINK(\"x\")", Access.READ_ONLY, null, null, 0, null)));

        assertThat(TagCsv.export(p, Map.of())).contains(",\"'=HYPERLINK(\"\"x\"\")\",");
    }
}
