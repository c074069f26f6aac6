package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessSectionTest {

    private static final String CELL = """
            cell:
              id: c
            access:
              - role: Observer
                tags: ["*/*"]
                allow: [read]
            # the OPC UA server
            opcua:
              port: 4840
            """;

    @Test
    void extract_sectionInTheMiddle_upToTheNextTopLevelKey() {
        assertThat(AccessSection.extract(CELL)).isEqualTo("""
                access:
                  - role: Observer
                    tags: ["*/*"]
                    allow: [read]
                """);
    }

    @Test
    void replace_sectionInTheMiddle_restOfTheFileUnchanged() {
        String next = AccessSection.replace(CELL, "access:\n  - role: Operator\n    tags: [\"a/b\"]\n    allow: [write]");
        assertThat(next).isEqualTo("""
                cell:
                  id: c
                access:
                  - role: Operator
                    tags: ["a/b"]
                    allow: [write]
                # the OPC UA server
                opcua:
                  port: 4840
                """);
    }

    @Test
    void replace_noSection_appended_emptyRemovesIt() {
        assertThat(AccessSection.replace("cell:\n  id: c", "access: []")).isEqualTo("cell:\n  id: c\naccess: []\n");
        assertThat(AccessSection.replace(CELL, "")).doesNotContain("access:").contains("opcua:", "cell:");
        assertThat(AccessSection.extract("cell:\n  id: c\n")).isEmpty();
    }

    @Test
    void checkShape_otherSectionOrNoAccessKey_namesTheLine() {
        assertThat(AccessSection.checkShape("access:\n  - role: X\nopcua:\n  port: 1\n"))
                .hasValue("line 3: 'opcua:' starts another section; only the access section is edited here (indent the "
                        + "rules under access:)");
        assertThat(AccessSection.checkShape("# rules\nrules: []\n")).hasValueSatisfying(m -> assertThat(m)
                .startsWith("line 2: the text must start with 'access:'"));
        assertThat(AccessSection.checkShape("access:\n- role: X\n  tags: [a/b]\n")).isEmpty();
        assertThat(AccessSection.checkShape("  ")).isEmpty();
        assertThat(AccessSection.checkShape("# no rules: the default policy\n\n")).isEmpty();
    }
}
