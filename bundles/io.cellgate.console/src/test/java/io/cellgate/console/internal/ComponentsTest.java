package io.cellgate.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.policy.Action;
import io.cellgate.console.internal.Components.Component;
import io.cellgate.console.internal.Components.Field;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;

class ComponentsTest {

    private static Field field(String id, int type, int cardinality, List<String> options) {
        return new Field(id, id, null, type, cardinality, options, options, List.of());
    }

    private static Component health(String managedBy) {
        return new Component("cellgate.health", null, "CellGate health", null, "io.cellgate.health", List.of(
                field("sample.interval.s", AttributeDefinition.INTEGER, 0, List.of()),
                field("learning.hours", AttributeDefinition.DOUBLE, 0, List.of()),
                field("enabled", AttributeDefinition.BOOLEAN, 0, List.of()),
                field("mode", AttributeDefinition.STRING, 0, List.of("fast", "slow")),
                field("hosts", AttributeDefinition.STRING, 3, List.of()),
                field("ports", AttributeDefinition.LONG, Integer.MIN_VALUE, List.of()),
                field("secret", AttributeDefinition.PASSWORD, 0, List.of())),
                new LinkedHashMap<>(Map.of("sample.interval.s", 5, "mode", "fast")), Map.of("secret", true), true, managedBy);
    }

    @Test
    void validate_goodValues_areTypedByTheirDefinition_andOnlyChangedOnesListed() throws Exception {
        Components.Change c = Components.validate(health(null), Map.of("sample.interval.s", List.of(" 10 "),
                "learning.hours", List.of("1.5"), "enabled", List.of("true"), "mode", List.of("fast"),
                "hosts", List.of("a\nb\n\n"), "ports", List.of("1", "2")));
        assertThat(c.properties()).containsEntry("sample.interval.s", 10).containsEntry("learning.hours", 1.5)
                .containsEntry("enabled", true).containsEntry("mode", "fast").containsEntry("ports", List.of(1L, 2L));
        assertThat((String[]) c.properties().get("hosts")).containsExactly("a", "b");
        assertThat(c.changed()).containsExactly("sample.interval.s", "learning.hours", "enabled", "hosts", "ports");
    }

    @Test
    void validate_everyBadField_isNamedWithItsReason_andNothingIsReturned() {
        assertThatThrownBy(() -> Components.validate(health(null), new LinkedHashMap<>(Map.of(
                "sample.interval.s", List.of("ten"), "learning.hours", List.of("NaN"), "enabled", List.of("yes"),
                "mode", List.of("medium"), "hosts", List.of("a\nb\nc\nd"), "nope", List.of("1")))))
                .isInstanceOfSatisfying(Components.InvalidException.class, e -> assertThat(e.errors())
                        .extracting(FieldError::toString).containsExactlyInAnyOrder(
                                "nope: unknown field of cellgate.health (fields: sample.interval.s, learning.hours, enabled, mode, hosts, ports, secret)",
                                "sample.interval.s: 'ten' is not a whole number from -2147483648 to 2147483647",
                                "learning.hours: 'NaN' is not a finite number",
                                "enabled: 'yes' is not true or false",
                                "mode: 'medium' is not one of fast, slow",
                                "hosts: at most 3 values, got 4"));
    }

    @Test
    void validate_emptyPassword_keepsThePresentOne_aNewOneIsChangedWithoutItsValueInTheList() throws Exception {
        assertThat(Components.validate(health(null), Map.of("secret", List.of(""))).changed()).isEmpty();
        Components.Change c = Components.validate(health(null), Map.of("secret", List.of("s3cret value")));
        assertThat(c.changed()).containsExactly("secret");
        assertThat(c.properties()).containsEntry("secret", "s3cret value");
    }

    @Test
    void validate_tooLongText_isRefused() {
        assertThatThrownBy(() -> Components.validate(health(null), Map.of("mode", List.of("x".repeat(1025)))))
                .hasMessage("mode: longer than 1024 characters");
    }

    @Test
    void policy_securityComponentsNeedTheirManagementAction_othersConfigureUnderComponents() {
        assertThat(health(null).action()).isEqualTo(Action.CONFIGURE);
        assertThat(health(null).resource().name()).isEqualTo("components/cellgate.health");
        Component identity = new Component("cellgate.identity", null, "u", null, "b", List.of(), Map.of(), Map.of(), false, null);
        assertThat(identity.action()).isEqualTo(Action.MANAGE_USERS);
        assertThat(identity.resource().name()).isEqualTo("users");
        Component policy = new Component("cellgate.policy", null, "p", null, "b", List.of(), Map.of(), Map.of(), false, null);
        assertThat(policy.action()).isEqualTo(Action.MANAGE_POLICY);
    }
}
