package io.cellgate.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.tag.TagPath;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@SuppressWarnings("removal") // the deprecated table is still tested while it exists
class AccessTableTest {

    private static final Identity OBSERVER = new Identity("olga", Set.of(Roles.OBSERVER), Identity.Kind.USER);
    private static final Identity OPERATOR = new Identity("otto", Set.of(Roles.OPERATOR), Identity.Kind.USER);
    private static final Identity BOTH = new Identity("bea", Set.of(Roles.OBSERVER, Roles.OPERATOR), Identity.Kind.USER);
    private static final Identity NOBODY = new Identity("nils", Set.of(), Identity.Kind.USER);

    /** The example of the docs, as the configuration bundle publishes it. */
    private static final AccessTable TABLE = AccessTable.fromProperty(new String[] {
        "Observer|browse,read,subscribe|*/*",
        "Operator|write|press-*/setpoint_*,oven-1/sp"});

    private static TagPath tag(String path) {
        return TagPath.parse(path);
    }

    @Test
    void allows_observer_readsEverythingWritesNothing() {
        assertThat(TABLE.allows(OBSERVER, Permission.READ, tag("meter-1/voltage_l1"))).isTrue();
        assertThat(TABLE.allows(OBSERVER, Permission.BROWSE, tag("press-2/setpoint_speed"))).isTrue();
        assertThat(TABLE.allows(OBSERVER, Permission.WRITE, tag("press-2/setpoint_speed"))).isFalse();
    }

    @Test
    void allows_operatorWithoutObserver_writesMatchingTagsOnlyAndCannotRead() {
        assertThat(TABLE.allows(OPERATOR, Permission.WRITE, tag("press-2/setpoint_speed"))).isTrue();
        assertThat(TABLE.allows(OPERATOR, Permission.WRITE, tag("oven-1/sp"))).isTrue();
        assertThat(TABLE.allows(OPERATOR, Permission.WRITE, tag("oven-1/sp2"))).isFalse();
        assertThat(TABLE.allows(OPERATOR, Permission.WRITE, tag("press-2/speed"))).isFalse();
        assertThat(TABLE.allows(OPERATOR, Permission.WRITE, tag("oven-2/sp"))).isFalse();
        // Roles do not imply each other.
        assertThat(TABLE.allows(OPERATOR, Permission.READ, tag("press-2/setpoint_speed"))).isFalse();
    }

    @Test
    void allows_multipleRoles_anyRuleOfAnyRoleGrants() {
        assertThat(TABLE.allows(BOTH, Permission.READ, tag("press-2/setpoint_speed"))).isTrue();
        assertThat(TABLE.allows(BOTH, Permission.WRITE, tag("press-2/setpoint_speed"))).isTrue();
        assertThat(TABLE.allowingRule(BOTH, Permission.WRITE, tag("press-2/setpoint_speed")))
                .hasValueSatisfying(r -> assertThat(r.role()).isEqualTo(Roles.OPERATOR));
    }

    @Test
    void allows_noRoleOrNoRules_denied() {
        assertThat(TABLE.allows(NOBODY, Permission.READ, tag("meter-1/v"))).isFalse();
        assertThat(AccessTable.DENY_ALL.allows(BOTH, Permission.READ, tag("meter-1/v"))).isFalse();
        assertThat(AccessTable.fromProperty(null).allows(BOTH, Permission.BROWSE, tag("meter-1/v"))).isFalse();
        assertThat(TABLE.allows(null, Permission.READ, tag("meter-1/v"))).isFalse();
    }

    @Test
    void allows_globs_questionMarkIsOneCharacterAndNeitherCrossesTheSlash() {
        AccessTable t = AccessTable.of(List.of(new AccessTable.Rule(Roles.OPERATOR, EnumSet.of(Permission.WRITE),
                List.of("press-?/sp", "oven.1/*"))));

        assertThat(t.allows(OPERATOR, Permission.WRITE, tag("press-1/sp"))).isTrue();
        assertThat(t.allows(OPERATOR, Permission.WRITE, tag("press-12/sp"))).isFalse();
        assertThat(t.allows(OPERATOR, Permission.WRITE, tag("oven.1/anything"))).isTrue();
        // '.' is literal, not a regex wildcard.
        assertThat(t.allows(OPERATOR, Permission.WRITE, tag("ovenX1/anything"))).isFalse();
        // Case matters, like device ids and tag names.
        assertThat(t.allows(OPERATOR, Permission.WRITE, tag("PRESS-1/sp"))).isFalse();
    }

    @Test
    void fromProperty_malformedEntry_errorNamesTheEntry() {
        assertThatThrownBy(() -> AccessTable.fromProperty(new String[] {"Observer|read|*/*", "Operator|write"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("access.rules[1]: 'Operator|write' is not role|permission,...|pattern,...");
        assertThatThrownBy(() -> AccessTable.fromProperty(new String[] {"Operator|erase|*/*"}))
                .hasMessageContaining("access.rules[0]").hasMessageContaining("unknown permission 'erase'");
        assertThatThrownBy(() -> AccessTable.fromProperty(new String[] {"Operator|write|press-1"}))
                .hasMessageContaining("is not a tag pattern");
    }

    @Test
    void rule_toString_isThePropertyForm() {
        assertThat(TABLE.rules()).extracting(AccessTable.Rule::toString).containsExactly(
                "Observer|browse,read,subscribe|*/*", "Operator|write|press-*/setpoint_*,oven-1/sp");
    }
}
