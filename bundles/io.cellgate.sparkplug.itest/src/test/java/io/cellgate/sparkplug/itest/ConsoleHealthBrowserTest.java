package io.cellgate.sparkplug.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The health twin as the plant sees it through the packaged jar: {@code /metrics} (OpenMetrics, HTTP Basic) with the
 * device statistics, OPC UA, firewall and certificate families; a burst of failed logins (wrong passwords against
 * {@code /metrics} from loopback) becoming a login.burst security event, audited, counted and shown on {@code /metrics}
 * and on the console's {@code /health} page; {@code /security/firewall} for a SecurityAdmin and refused to an
 * Observer. The state directory starts with a baseline whose learning window is over (as after the first day), so the
 * gateway reports deviations at once. Screenshots go to docs/console/health*.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleHealthBrowserTest {

    @TempDir
    static Path dir;
    private static ConsoleFixture cell;

    @BeforeAll
    static void start() throws Exception {
        // A saved baseline whose window has ended: nothing learned, so the first burst is a deviation.
        Path health = Files.createDirectories(dir.resolve("state").resolve("health"));
        Files.setPosixFilePermissions(health, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(health.resolve("baseline.txt"), "cellgate-health-baseline 1\nlearnedAt "
                + Instant.now().minusSeconds(60) + "\nfailurePeak 0\n");
        cell = ConsoleFixture.start(dir).withBrowser(dir.resolve("downloads"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cell != null) {
            cell.close();
        }
    }

    @Test
    @Order(1)
    void metrics_auditor_everyNewFamily() throws Exception {
        cell.waitFor(() -> metrics().contains("cellgate_device_round_trip_p99_seconds{device=\"counter-1\"} "),
                "the device's round trip percentiles on /metrics");
        String text = metrics();

        assertThat(text).contains("cellgate_device_round_trip_p50_seconds{device=\"counter-1\"} ",
                "cellgate_device_errors_total{device=\"counter-1\",kind=\"timeout\"} 0",
                "cellgate_device_errors_total{device=\"counter-1\",kind=\"connect\"} ",
                "cellgate_device_poll_time_last_seconds{device=\"counter-1\"} ",
                "cellgate_device_poll_interval_seconds{device=\"counter-1\"} 0.2",
                "cellgate_opcua_sessions 0", "cellgate_opcua_rejected_connections_total{reason=\"bad_user_token\"} ",
                "cellgate_opcua_rejected_connections_total{reason=\"untrusted_certificate\"} ",
                "cellgate_opcua_denied_requests_total 0", "cellgate_firewall_state_info{value=\"UNKNOWN\"} 1",
                "cellgate_security_baseline_learning 0");
        assertThat(text).endsWith("# EOF\n");
        // the baseline knew nobody: audrey's scrape is a new client (and she is known from now on)
        cell.waitFor(() -> metrics().contains("cellgate_security_event_last_info{value=\"new.client "
                + ConsoleFixture.AUDREY + " from 127.0.0.1"), "the new.client event of " + ConsoleFixture.AUDREY);
    }

    @Test
    @Order(2)
    void loginBurst_wrongPasswordsOnMetrics_eventOnMetricsAuditedAndOnTheHealthPage() throws Exception {
        // audrey's own first scrape (test 1) was a new client: counted before the burst
        long before = events(metrics());
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> r = cell.get("/metrics", "mallory", "not the password " + i);
            assertThat(r.statusCode()).as("wrong password %d", i).isIn(401, 429);
        }
        // the correct login may wait out the per-source delay the failures caused
        cell.waitFor(() -> metrics().contains("cellgate_security_event_last_info{value=\"login.burst 127.0.0.1: "),
                "the login.burst event on /metrics");
        String text = metrics();
        assertThat(text).contains("cellgate_security_event_last_severity_info{value=\"HIGH\"} 1");
        assertThat(events(text)).as("six failed logins are one event").isEqualTo(before + 1);
        assertThat(text).containsPattern("cellgate_security_event_last_count [2-9]");
        assertThat(cell.gateway.auditTrail()).as("the audit trail").contains("\"health.event\"")
                .contains("login.burst 127.0.0.1");

        cell.login(ConsoleFixture.AUDREY, ConsoleFixture.AUDREY_PASSWORD);
        cell.browser.get(cell.base + "/health");
        assertThat(cell.browser.findElements(By.cssSelector("#health-events tr[data-kind='login.burst']"))).hasSize(1);
        String row = cell.browser.findElement(By.cssSelector("#health-events tr[data-kind='login.burst']")).getText();
        assertThat(row).contains("HIGH", "127.0.0.1", "failed logins");
        assertThat(cell.browser.findElement(By.cssSelector("tr[data-metric='Health/Devices/counter-1/Round Trip P99'] td.value"))
                .getText()).matches("[0-9.e-]+");
        assertThat(cell.browser.findElements(By.cssSelector("tr[data-metric='Health/Northbound/OPC UA Sessions']")))
                .hasSize(1);
        assertThat(cell.browser.findElements(By.cssSelector("#health-security tr[data-metric]")).size())
                .isGreaterThanOrEqualTo(11);
        cell.screenshot("health");
        cell.logout();
    }

    @Test
    @Order(3)
    void healthPage_observer_metricsButNoEvents() throws Exception {
        cell.login(ConsoleFixture.OTTO, ConsoleFixture.OTTO_PASSWORD);
        cell.browser.get(cell.base + "/health");

        assertThat(cell.text("events-hidden")).contains("read_audit");
        assertThat(cell.browser.findElements(By.cssSelector("tr[data-metric='Health/Gateway/Uptime']"))).hasSize(1);
        cell.logout();
    }

    @Test
    @Order(4)
    void firewallPage_securityAdminSeesStateObserverRefused() throws Exception {
        cell.login(ConsoleFixture.SAM, ConsoleFixture.SAM_PASSWORD);
        cell.browser.get(cell.base + "/security/firewall");
        assertThat(cell.text("drift-state")).isEqualTo("unknown");
        assertThat(cell.text("drift-explanation")).contains("no firewall: section");
        cell.screenshot("health-firewall");
        cell.logout();

        cell.login(ConsoleFixture.OTTO, ConsoleFixture.OTTO_PASSWORD);
        cell.browser.get(cell.base + "/security/firewall");
        assertThat(cell.text("error")).startsWith("Refused:");
        cell.logout();
        assertThat(cell.gateway.auditTrail()).as("the audit trail").contains("\"console.firewall.view\"");
    }

    private static long events(String metrics) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^cellgate_security_events_total (\\d+)$")
                .matcher(metrics);
        assertThat(m.find()).as("cellgate_security_events_total in %s", metrics).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static String metrics() {
        try {
            HttpResponse<String> r = cell.get("/metrics", ConsoleFixture.AUDREY, ConsoleFixture.AUDREY_PASSWORD);
            return r.statusCode() == 200 ? r.body() : "";
        } catch (Exception e) {
            return "";
        }
    }
}
