package io.cellgate.console.internal;

import io.cellgate.api.bus.DeviceState;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.health.GatewayHealth;
import io.cellgate.api.health.HealthAlarm;
import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.SecurityEvent;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagValue;
import io.cellgate.identity.Identity;
import io.cellgate.pki.GatewayPki;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** What the dashboard and the API show, read from the tag bus and the PKI; tags filtered by the policy's {@code read}. */
final class Status {

    /** A tag the caller may read, with its last value (empty before the first poll). */
    record TagRow(TagInfo info, Optional<TagValue> value) {
    }

    /** The gateway certificate as the dashboard shows it. */
    record Certificate(String subject, String thumbprint, java.time.Instant notAfter, long daysLeft) {
    }

    /** Health metrics of the northbound side (OPC UA, MQTT, outbox), as the health bundle names them. */
    static final String NORTHBOUND = "Health/Northbound/";
    static final int RECENT_EVENTS = 10;

    private final TagBus bus;
    private final Supplier<GatewayPki> pki;
    private final Supplier<GatewayHealth> health;
    private final Guard guard;

    Status(TagBus bus, Supplier<GatewayPki> pki, Supplier<GatewayHealth> health, Guard guard) {
        this.bus = bus;
        this.pki = pki;
        this.health = health;
        this.guard = guard;
    }

    /** Empty when the health bundle is not running. */
    Optional<List<HealthMetric>> northbound() {
        return withHealth(h -> h.metrics().stream().filter(m -> m.name().startsWith(NORTHBOUND)).toList());
    }

    Optional<List<HealthAlarm>> alarms() {
        return withHealth(GatewayHealth::alarms);
    }

    /** The most recent security events, newest first. */
    Optional<List<SecurityEvent>> recentEvents() {
        return withHealth(h -> {
            List<SecurityEvent> all = h.events();
            List<SecurityEvent> recent = new java.util.ArrayList<>(all.subList(Math.max(0, all.size() - RECENT_EVENTS), all.size()));
            java.util.Collections.reverse(recent);
            return recent;
        });
    }

    private <T> Optional<T> withHealth(java.util.function.Function<GatewayHealth, T> read) {
        GatewayHealth h = health.get();
        if (h == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(read.apply(h));
        } catch (RuntimeException e) {
            // The dashboard shows the rest; the health bundle logs its own failures.
            return Optional.empty();
        }
    }

    Collection<DeviceState> devices() {
        return bus.devices();
    }

    List<TagRow> tags(Identity who, String channel, String source) {
        return bus.tags().stream().filter(t -> guard.mayRead(who, t.path().toString(), channel, source))
                .map(t -> new TagRow(t, bus.value(t.path()))).toList();
    }

    Optional<TagInfo> tag(io.cellgate.api.tag.TagPath path) {
        return bus.info(path);
    }

    Optional<TagValue> value(io.cellgate.api.tag.TagPath path) {
        return bus.value(path);
    }

    Optional<Certificate> certificate() {
        GatewayPki p = pki.get();
        if (p == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Certificate(p.certificate().getSubjectX500Principal().getName(), p.thumbprint(),
                    p.notAfter(), p.daysUntilExpiry()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

}
