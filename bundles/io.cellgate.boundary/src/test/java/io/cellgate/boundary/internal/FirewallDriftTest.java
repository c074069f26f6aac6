package io.cellgate.boundary.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.api.health.FirewallReport;
import io.cellgate.api.health.FirewallReport.State;
import io.cellgate.api.health.HealthMetric;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running gateway's drift check against the root timer's listing file. */
class FirewallDriftTest {

    @TempDir
    Path tmp;
    Path config;
    Path state;
    FirewallDrift drift;

    @BeforeEach
    void cell() throws Exception {
        // the shipped cell names its profiles as ../../profiles: the same layout here
        config = tmp.resolve("cells/press-line");
        state = tmp.resolve("state");
        Files.createDirectories(state);
        Files.createDirectories(config);
        Path from = Path.of(FirewallCommandTest.PRESS);
        Files.copy(from.resolve("cell.yaml"), config.resolve("cell.yaml"));
        Path profiles = from.resolve("../../profiles").normalize();
        Files.createDirectories(tmp.resolve("profiles"));
        try (Stream<Path> files = Files.list(profiles)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.copy(p, tmp.resolve("profiles").resolve(p.getFileName()));
            }
        }
        Files.writeString(config.resolve("cell.yaml"), Files.readString(config.resolve("cell.yaml"))
                + "\nfirewall:\n  north: enp1s0\n  south: enp2s0\n");
        drift = new FirewallDrift(config, state, Clock.systemUTC());
    }

    private void listing(String text) throws Exception {
        Files.createDirectories(drift.listing().getParent());
        Files.writeString(drift.listing(), text);
    }

    @Test
    void check_noListing_unknownNamingTheTimer() {
        FirewallReport r = drift.check();

        assertThat(r.state()).isEqualTo(State.UNKNOWN);
        assertThat(r.generated()).contains("table inet cellgate");
        assertThat(r.explanation()).contains("cellgate-firewall-list.timer");
    }

    @Test
    void check_listingEqualsGenerated_noDrift() throws Exception {
        listing(drift.check().generated());

        FirewallReport r = drift.check();

        assertThat(r.state()).as(r.explanation() + r.differences()).isEqualTo(State.NO_DRIFT);
        assertThat(r.differences()).isEmpty();
    }

    @Test
    void check_ruleAddedByHand_driftNamingIt() throws Exception {
        String generated = drift.check().generated();
        int at = generated.indexOf("chain input {");
        int end = generated.indexOf('\n', generated.indexOf('\n', at) + 1);
        listing(generated.substring(0, end + 1) + "\t\ttcp dport 4444 accept\n" + generated.substring(end + 1));

        FirewallReport r = drift.check();

        assertThat(r.state()).isEqualTo(State.DRIFT);
        assertThat(r.differences()).anyMatch(d -> d.contains("extra in input") && d.contains("tcp dport 4444 accept"));
    }

    @Test
    void check_tableNotLoaded_driftWithNftMessage() throws Exception {
        listing("# nft list table inet cellgate failed:\n# Error: No such file or directory\n");

        FirewallReport r = drift.check();

        assertThat(r.state()).isEqualTo(State.DRIFT);
        assertThat(r.differences()).containsExactly("table inet cellgate is not loaded");
        assertThat(r.explanation()).contains("No such file or directory");
    }

    @Test
    void check_staleListing_unknown() throws Exception {
        listing(drift.check().generated());
        Files.setLastModifiedTime(drift.listing(), FileTime.from(Instant.now().minus(Duration.ofMinutes(6))));

        assertThat(drift.check().state()).isEqualTo(State.UNKNOWN);
    }

    @Test
    void check_noFirewallSection_unknown() throws Exception {
        String yaml = Files.readString(config.resolve("cell.yaml"));
        Files.writeString(config.resolve("cell.yaml"), yaml.substring(0, yaml.indexOf("\nfirewall:")));

        FirewallReport r = drift.check();

        assertThat(r.state()).isEqualTo(State.UNKNOWN);
        assertThat(r.explanation()).contains("no firewall: section");
    }
}
