package io.cellgate.health.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = HealthConfig.PID, name = "CellGate health",
        description = "Sampling of the health metrics, alarm thresholds (with hysteresis) and the security baseline.")
@interface HealthConfig {

    String PID = "cellgate.health";

    @AttributeDefinition(name = "Sample interval (s)", min = "1", description = "Metrics are sampled and alarms evaluated this often.")
    int sample_interval_s() default 5;

    @AttributeDefinition(name = "Alarm hold (s)", min = "0",
            description = "A threshold must be crossed for this long before an alarm is raised or cleared.")
    int alarm_hold_s() default 60;

    @AttributeDefinition(name = "Disk free: raise below (%)", min = "0", max = "100")
    int disk_free_raise_percent() default 10;

    @AttributeDefinition(name = "Disk free: clear above (%)", min = "0", max = "100")
    int disk_free_clear_percent() default 15;

    @AttributeDefinition(name = "Heap used: raise above (%)", min = "0", max = "100")
    int heap_raise_percent() default 90;

    @AttributeDefinition(name = "Heap used: clear below (%)", min = "0", max = "100")
    int heap_clear_percent() default 80;

    @AttributeDefinition(name = "Outbox fill: raise above (%)", min = "0", max = "100")
    int outbox_raise_percent() default 80;

    @AttributeDefinition(name = "Outbox fill: clear below (%)", min = "0", max = "100")
    int outbox_clear_percent() default 60;

    @AttributeDefinition(name = "Certificate expiry: raise below (days)", min = "0")
    int cert_raise_days() default 30;

    @AttributeDefinition(name = "Certificate expiry: clear above (days)", min = "0")
    int cert_clear_days() default 31;

    @AttributeDefinition(name = "Device down: raise after (s)", min = "0",
            description = "A device must be down (FAILING, or never answered) this long before its alarm is raised.")
    int device_down_hold_s() default 30;

    @AttributeDefinition(name = "Learning window (h)", min = "0",
            description = "After a start, the cell's normal behaviour is learned this long before deviations are reported.")
    double learning_hours() default 24;

    @AttributeDefinition(name = "Event interval (s)", min = "1",
            description = "At most one security event per kind and subject in this interval; repeats are counted into it.")
    int event_interval_s() default 300;

    @AttributeDefinition(name = "Failed login burst", min = "1",
            description = "Failed logins from one source within a minute that make a burst (at least; the learned peak counts too).")
    int login_burst() default 5;

    @AttributeDefinition(name = "Write rate factor", min = "1",
            description = "Writes per minute of an identity above this many times its learned peak are reported.")
    double write_rate_factor() default 3;

    @AttributeDefinition(name = "Poll drift (%)", min = "1", max = "100",
            description = "A device whose poll rate falls this much below its learned normal is reported.")
    int poll_drift_percent() default 30;

    @AttributeDefinition(name = "Metrics roles",
            description = "Roles whose users (HTTP Basic) may read GET /metrics on the console's HTTPS port.")
    String[] metrics_roles() default {"Auditor", "SecurityAdmin", "Engineer"};
}
