package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which top-level sections a whole-file change touches: what the Snapshots page asks the policy about. */
class TopLevelSectionsTest {

    private static final String CELL = """
            # the press line
            cell: { id: press-1 }
            devices:
            - id: plc-1
              profile: meter
            mqtt:
              brokers: ["ssl://broker:8883"]
            access:
              - { role: Operator, tags: ["*/*"], allow: [write] }
            """;

    @Test
    void changed_brokerPort_onlyMqtt() {
        assertThat(TopLevelSections.changed(CELL, CELL.replace("8883", "8884"))).containsExactly("mqtt");
    }

    @Test
    void changed_accessRemovedAndDeviceEdited_both() {
        String next = CELL.replace("profile: meter", "profile: drive").substring(0, CELL.indexOf("access:"));

        assertThat(TopLevelSections.changed(CELL, next)).containsExactly("devices", "access");
    }

    @Test
    void changed_sameText_theCell() {
        assertThat(TopLevelSections.changed(CELL, CELL)).containsExactly("cell");
    }

    @Test
    void changed_flowStyleOrQuotedKeys_everySection() {
        assertThat(TopLevelSections.changed(CELL, "{cell: {id: x}, access: []}\n")).containsAll(TopLevelSections.ALL);
        assertThat(TopLevelSections.changed(CELL, "\"access\": []\n" + CELL.replace("access:\n", "x:\n")))
                .containsAll(TopLevelSections.ALL);
    }
}
