package io.cellgate.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.audit.AuditEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.service.component.ComponentConstants;

class GatewayAuditTest {

    private final List<AuditEvent> recorded = new ArrayList<>();

    @Test
    void activate_thenFrameworkStops_startAndStopRecordedAsSystem() {
        GatewayAudit audit = new GatewayAudit(recorded::add, "1.2.3", "/var/lib/cellgate");
        audit.deactivate(ComponentConstants.DEACTIVATION_REASON_BUNDLE_STOPPED);

        assertThat(recorded).extracting(AuditEvent::action).containsExactly("gateway.start", "gateway.stop");
        assertThat(recorded).allSatisfy(e -> {
            assertThat(e.identity()).isEqualTo("system");
            assertThat(e.resource()).isEqualTo("gateway");
            assertThat(e.result()).isEqualTo(AuditEvent.Result.SUCCESS);
        });
        assertThat(recorded.get(0).reason()).isEqualTo("CellGate 1.2.3, state directory /var/lib/cellgate");
        assertThat(recorded.get(1).reason()).isEqualTo("the gateway stops");
    }

    @Test
    void deactivate_configurationRemoved_saysSo() {
        GatewayAudit audit = new GatewayAudit(recorded::add, "1.2.3", "/s");
        audit.deactivate(ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED);

        assertThat(recorded.get(1).reason()).isEqualTo("the runtime configuration was removed");
    }
}
