package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Edits of cell.yaml keep everything the admin wrote that the edit is not about: comments, order, quoting. */
class CellYamlTest {

    private static final String CELL = """
            # Press line 3 - maintained by the OT team
            cell:
              id: press-line-3   # do not rename: OPC UA node ids
            pollGroups:
              fast: 500ms
            devices:
              # the incomer
              - id: meter-1
                name: "Incomer: energy meter"
                profile: energy-meter-em24
                endpoint:
                  protocol: modbus-tcp   # via the cell switch
                  host: 192.168.10.21
                unitId: 1
                timeout: 300ms

              - { id: vfd-1, profile: vfd-acs580, endpoint: { protocol: modbus-tcp, host: 192.168.10.22 } }
            # access is the security officer's
            access:
              - role: Observer
                tags: ["*/*"]
                allow: [read]
            """;

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void devices_blockAndFlowEntries_readAsWritten() {
        CellYaml y = CellYaml.parse(CELL);

        assertThat(y.devices()).extracting(CellYaml.Entry::id).containsExactly("meter-1", "vfd-1");
        assertThat(y.device("meter-1").orElseThrow().string("name")).isEqualTo("Incomer: energy meter");
        assertThat(y.device("meter-1").orElseThrow().map("endpoint")).containsEntry("host", "192.168.10.21");
        assertThat(y.pollGroups()).containsExactly("fast");
    }

    @Test
    void addDevice_blockList_appendedAfterTheLastDeviceEverythingElseUnchanged() {
        CellYaml y = CellYaml.parse(CELL).addDevice(map("id", "plc-2", "name", "Press PLC", "profile", "generic-plc",
                "endpoint", map("protocol", "modbus-tcp", "host", "10.0.0.7", "port", 1502L), "unitId", 3L,
                "pollGroups", null));

        assertThat(y.text()).isEqualTo(CELL.replace("""
                  - { id: vfd-1, profile: vfd-acs580, endpoint: { protocol: modbus-tcp, host: 192.168.10.22 } }
                """, """
                  - { id: vfd-1, profile: vfd-acs580, endpoint: { protocol: modbus-tcp, host: 192.168.10.22 } }
                  - id: plc-2
                    name: Press PLC
                    profile: generic-plc
                    endpoint: { protocol: modbus-tcp, host: 10.0.0.7, port: 1502 }
                    unitId: 3
                """));
    }

    @Test
    void addDevice_emptyFlowList_becomesABlockList() {
        CellYaml y = CellYaml.parse("cell: { id: c }\ndevices: []   # none yet\nopcua: { port: 4840 }\n")
                .addDevice(map("id", "a", "profile", "p", "endpoint", map("protocol", "modbus-tcp", "host", "h")));

        assertThat(y.text()).isEqualTo("""
                cell: { id: c }
                devices:
                  - id: a
                    profile: p
                    endpoint: { protocol: modbus-tcp, host: h }   # none yet
                opcua: { port: 4840 }
                """);
        assertThat(y.devices()).extracting(CellYaml.Entry::id).containsExactly("a");
    }

    @Test
    void setDeviceKey_blockDevice_replacesOnlyThatValueAndKeepsComments() {
        CellYaml y = CellYaml.parse(CELL).setDeviceKey("meter-1", "endpoint",
                map("protocol", "modbus-tcp", "host", "192.168.10.99", "port", 502L));

        assertThat(y.text()).isEqualTo(CELL.replace("""
                    endpoint:
                      protocol: modbus-tcp   # via the cell switch
                      host: 192.168.10.21
                """, """
                    endpoint: { protocol: modbus-tcp, host: 192.168.10.99, port: 502 }
                """));
    }

    @Test
    void setDeviceKey_newAndRemovedKeys_insertedAfterTheLastKeyAndDeletedWithTheirLines() {
        CellYaml y = CellYaml.parse(CELL).setDeviceKey("meter-1", "enabled", Boolean.FALSE)
                .setDeviceKey("meter-1", "name", null);

        assertThat(y.text()).isEqualTo(CELL.replace("""
                    name: "Incomer: energy meter"
                """, "").replace("""
                    timeout: 300ms
                """, """
                    timeout: 300ms
                    enabled: false
                """));
        assertThat(y.device("meter-1").orElseThrow().enabled()).isFalse();
    }

    @Test
    void setDeviceKey_flowDevice_rewrittenOnOneLineOtherEntriesAsWritten() {
        CellYaml y = CellYaml.parse(CELL).setDeviceKey("vfd-1", "enabled", Boolean.FALSE);

        assertThat(y.text()).contains("  - { id: vfd-1, profile: vfd-acs580, endpoint: { protocol: modbus-tcp, host: "
                + "192.168.10.22 }, enabled: false }\n");
        assertThat(y.device("vfd-1").orElseThrow().enabled()).isFalse();
    }

    @Test
    void setTagOverride_addChangeAndRemoveTheLast_tagsSectionComesAndGoes() {
        CellYaml one = CellYaml.parse(CELL).setTagOverride("meter-1", "voltage", map("unit", "kV", "scale", 0.001));
        assertThat(one.text()).contains("""
                    timeout: 300ms
                    tags:
                      voltage: { unit: kV, scale: 0.001 }
                """);

        CellYaml two = one.setTagOverride("meter-1", "current", map("description", "Phase #1 current, A"));
        assertThat(two.text()).contains("""
                    tags:
                      voltage: { unit: kV, scale: 0.001 }
                      current: { description: "Phase #1 current, A" }
                """);
        assertThat(two.device("meter-1").orElseThrow().map("tags")).containsOnlyKeys("voltage", "current");

        CellYaml back = two.setTagOverride("meter-1", "current", null).setTagOverride("meter-1", "voltage", null);
        assertThat(back.text()).isEqualTo(CELL);
    }

    @Test
    void removeDevice_blockAndFlowItems_removedWithTheirLinesOnly() {
        CellYaml y = CellYaml.parse(CELL).removeDevice("meter-1");

        assertThat(y.devices()).extracting(CellYaml.Entry::id).containsExactly("vfd-1");
        assertThat(y.text()).contains("# the incomer\n\n  - { id: vfd-1").contains("# access is the security officer's");

        CellYaml none = y.removeDevice("vfd-1");
        assertThat(none.text()).contains("devices: []\n").contains("access:\n  - role: Observer");
        assertThat(none.devices()).isEmpty();
    }

    @Test
    void scalar_textThatYamlWouldReadDifferently_isQuoted() {
        assertThat(CellYaml.scalar("Press PLC")).isEqualTo("Press PLC");
        assertThat(CellYaml.scalar("192.168.1.10")).isEqualTo("192.168.1.10");
        assertThat(CellYaml.scalar("yes")).isEqualTo("\"yes\"");
        assertThat(CellYaml.scalar("0x10")).isEqualTo("\"0x10\"");
        assertThat(CellYaml.scalar("12")).isEqualTo("\"12\"");
        assertThat(CellYaml.scalar("a: b")).isEqualTo("\"a: b\"");
        assertThat(CellYaml.scalar("say \"hi\"\n")).isEqualTo("\"say \\\"hi\\\"\\n\"");
        assertThat(CellYaml.scalar("*alias")).isEqualTo("\"*alias\"");
        assertThat(CellYaml.flow(1.0E-4)).isEqualTo("0.0001");
    }

    @Test
    void edits_unknownDevice_refusedNamingIt() {
        assertThatThrownBy(() -> CellYaml.parse(CELL).removeDevice("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no device 'nope' in cell.yaml");
        assertThatThrownBy(() -> CellYaml.parse("- a\n")).hasMessage("cell.yaml is not a mapping at the top level");
    }
}
