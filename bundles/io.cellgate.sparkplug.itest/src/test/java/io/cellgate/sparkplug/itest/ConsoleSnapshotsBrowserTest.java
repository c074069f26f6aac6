package io.cellgate.sparkplug.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.cellgate.mqtt.testing.Mosquitto;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Snapshots page and safe changes in a real headless browser against the packaged jar, with a pymodbus device and
 * a real mosquitto (plain MQTT on loopback, allowInsecure) as the MES broker: an Engineer uploads a cell.yaml that
 * renames the device, sees the snapshot and the diff, rolls back and sees the old device again; an invalid upload is
 * refused with its file:line:col and writes nothing; a change that points the edge node at a port where no broker
 * listens is rolled back automatically once the confirmation time (10 s here) has passed. Screenshots go to
 * docs/console/snapshots*.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleSnapshotsBrowserTest {

    private static final String ERIK = "erik";
    private static final String ERIK_PASSWORD = "engineer of the cell line";

    @TempDir
    static Path dir;

    private static CounterDevice device;
    private static Process mosquitto;
    private static int brokerPort;
    private static ConsoleTestGateway gateway;
    private static Path cellDir;
    private static String original;
    private static String base;
    private static WebDriver browser;
    private static HttpClient http;
    private static Path screenshots;

    @BeforeAll
    static void start() throws Exception {
        ConsoleFixture.assumeChromium();
        assumeThat(Mosquitto.installed()).as("Debian's mosquitto is installed (.ci/run installs it)").isTrue();
        Path jar = ConsoleFixture.jar();
        Path unit = ConsoleFixture.unit();
        screenshots = ConsoleFixture.screenshotDir();

        brokerPort = Mosquitto.freePort();
        mosquitto = startBroker(Files.createDirectories(dir.resolve("broker")), brokerPort);
        device = CounterDevice.start(Mosquitto.freePort(), dir.resolve("device.log"));
        device.set(7);
        cellDir = writeCell(dir, device.port(), brokerPort);
        original = Files.readString(cellDir.resolve("cell.yaml"));
        Path state = dir.resolve("state");
        gateway = new ConsoleTestGateway(jar, unit, cellDir, state, dir.resolve("gateway.log"));
        gateway.oneTimePassword(120);
        base = gateway.awaitConsole(120);
        gateway.addUser(ERIK, "Engineer", ERIK_PASSWORD);
        http = ConsoleFixture.https(state);
        browser = ConsoleFixture.chromium(1100, null);
        login(ERIK, ERIK_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (device != null) {
            device.close();
        }
        if (mosquitto != null) {
            mosquitto.destroy();
            mosquitto.waitFor();
        }
    }

    /** A plain-MQTT mosquitto on 127.0.0.1 (the MES broker of this test); waits until it accepts connections. */
    private static Process startBroker(Path brokerDir, int port) throws Exception {
        Files.writeString(brokerDir.resolve("mosquitto.conf"), "per_listener_settings false\npersistence false\n"
                + "allow_anonymous true\nlog_dest stdout\nconnection_messages true\nlistener " + port + " 127.0.0.1\n");
        Process p = new ProcessBuilder(Mosquitto.BINARY.toString(), "-c", brokerDir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(brokerDir.resolve("mosquitto.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new AssertionError("mosquitto did not start: " + Files.readString(brokerDir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    private static Path writeCell(Path root, int devicePort, int mqttPort) throws Exception {
        Path cell = Files.createDirectories(root.resolve("cell"));
        Files.createDirectories(cell.resolve("profiles"));
        Files.writeString(cell.resolve("profiles/setpoint-device.yaml"), """
                profile:
                  id: setpoint-device
                  vendor: Test
                  model: pymodbus register
                tags:
                  - { name: setpoint, area: holding_register, address: 0, type: uint16, access: read_write, min: 0, max: 1000 }
                """);
        Files.writeString(cell.resolve("cell.yaml"), """
                cell:
                  id: snapshot-test
                  name: Snapshot test cell
                profiles: [profiles]
                %s
                mqtt:
                  brokers: ["tcp://127.0.0.1:%d"]
                  allowInsecure: true
                  keepAlive: 5s
                  connectTimeout: 3s
                sparkplug:
                  groupId: snapshots
                console:
                  safeChange: { confirmSeconds: 10 }
                access:
                  - { role: Observer, tags: ["*/*"], allow: [browse, read, subscribe] }
                  - { id: engineers-console, role: Engineer, sections: [console], allow: [configure] }
                """.formatted(ConsoleFixture.counterAndOpcua(devicePort, Mosquitto.freePort()), mqttPort));
        return cell;
    }

    // ---------------------------------------------------------------- tests

    @Test
    @Order(1)
    void snapshotsPage_atStart_theLoadedFileIsSnapshotOneByFile() throws Exception {
        browser.get(base + "/snapshots");

        assertThat(browser.findElements(By.cssSelector("nav a[href='/snapshots']"))).hasSize(1);
        assertThat(row(1)).contains("file").contains("loaded at start").contains("(running)");
        screenshot("snapshots");
    }

    @Test
    @Order(2)
    void upload_renamedDevice_appliedAsSnapshotWithDiffThenRollbackBringsTheOldDeviceBack() throws Exception {
        Path file = dir.resolve("cell-renamed.yaml");
        Files.writeString(file, original.replace("id: counter-1", "id: press-1"));
        browser.get(base + "/snapshots");
        browser.findElement(By.id("upload-file")).sendKeys(file.toString());
        waitFor(() -> browser.findElement(By.id("upload-text")).getAttribute("value").contains("press-1"),
                "the chosen file in the text field");
        browser.findElement(By.id("upload-reason")).sendKeys("device renamed to press-1");
        browser.findElement(By.id("upload-apply")).click();
        waitForMessage();

        assertThat(text("message")).startsWith("Applied as snapshot 2.");
        assertThat(row(2)).contains(ERIK).contains("device renamed to press-1").contains("(running)");
        screenshot("snapshots-applied");
        assertThat(Files.readString(cellDir.resolve("cell.yaml"))).contains("id: press-1");
        waitFor(() -> status().contains("\"id\":\"press-1\""), "device press-1 in /api/v1/status");

        browser.findElement(By.cssSelector("tr[data-snapshot='2'] a[href*='against=previous']")).click();
        assertThat(text("diff")).contains("--- snapshot 1").contains("+++ snapshot 2").contains("-  - id: counter-1")
                .contains("+  - id: press-1");
        screenshot("snapshots-diff");

        browser.get(base + "/snapshots");
        browser.findElement(By.id("rollback-1")).click();
        waitForMessage();

        assertThat(text("message")).startsWith("Applied as snapshot 3.");
        assertThat(row(3)).contains(ERIK).contains("rollback to snapshot 1").contains("(running)");
        assertThat(Files.readString(cellDir.resolve("cell.yaml"))).isEqualTo(original);
        waitFor(() -> status().contains("\"id\":\"counter-1\"") && !status().contains("press-1"),
                "device counter-1 back in /api/v1/status");
        browser.get(base + "/");
        assertThat(browser.findElements(By.cssSelector("tr[data-device='counter-1']"))).hasSize(1);
        browser.get(base + "/snapshots");
        screenshot("snapshots-rolled-back");
        assertThat(gateway.auditTrail()).containsPattern("\"identity\":\"erik\"[^\\n]*\"action\":\"config.change\"")
                .containsPattern("\"identity\":\"erik\"[^\\n]*\"action\":\"config.rollback\"");
    }

    @Test
    @Order(3)
    void upload_invalidFile_refusedWithFileLineColumnNothingWritten() throws Exception {
        browser.get(base + "/snapshots");
        String hashBefore = text("current-hash");
        browser.findElement(By.id("upload-text")).sendKeys(original.replace("protocol: modbus-tcp", "protocol: modbus-tpc"));
        browser.findElement(By.id("upload-apply")).click();
        waitForMessage();

        assertThat(text("error")).contains("Not applied: the file is invalid (1 error); nothing was written.");
        assertThat(text("errors")).contains("cell.yaml:8:").contains("devices[0].endpoint.protocol")
                .contains("'modbus-tpc' is not one of");
        screenshot("snapshots-invalid");
        assertThat(text("current-hash")).isEqualTo(hashBefore);
        assertThat(Files.readString(cellDir.resolve("cell.yaml"))).isEqualTo(original);
    }

    @Test
    @Order(4)
    void change_brokerPortWithoutBroker_rolledBackAutomaticallyAfterTheConfirmationTime() throws Exception {
        waitFor(() -> status().contains("\"MQTT Online\":true"), "the edge node online at its broker");
        int wrongPort = Mosquitto.freePort();
        browser.get(base + "/snapshots");
        browser.findElement(By.id("upload-text")).sendKeys(original.replace("tcp://127.0.0.1:" + brokerPort,
                "tcp://127.0.0.1:" + wrongPort));
        browser.findElement(By.id("upload-reason")).sendKeys("broker moved");
        browser.findElement(By.id("upload-apply")).click();
        new WebDriverWait(browser, Duration.ofSeconds(90)).until(d -> !d.findElements(By.id("error")).isEmpty()
                || !d.findElements(By.id("message")).isEmpty());

        assertThat(text("error")).startsWith("Rolled back: ").contains("was not connected to its MQTT broker again "
                + "within 10 s").contains("previous configuration was restored");
        screenshot("snapshots-northbound-lost");
        assertThat(Files.readString(cellDir.resolve("cell.yaml"))).isEqualTo(original);
        assertThat(row(5)).contains("system").contains("automatic rollback of snapshot 4: northbound lost");
        assertThat(row(4)).contains(ERIK).contains("broker moved");
        assertThat(gateway.auditTrail()).containsPattern("\"identity\":\"system\"[^\\n]*\"action\":\"config.rollback\""
                + "[^\\n]*\"reason\":\"northbound lost");
        waitFor(() -> status().contains("\"MQTT Online\":true"), "the edge node back online at its broker");
    }

    @Test
    @Order(5)
    void restApi_snapshotsAndConfigWithIfMatch() throws Exception {
        HttpResponse<String> list = get("/api/v1/snapshots");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"identity\":\"erik\"").contains("\"reason\":\"device renamed to press-1 (console)\"");
        HttpResponse<String> one = get("/api/v1/snapshots/2");
        assertThat(one.body()).contains("id: press-1");

        HttpResponse<String> config = get("/api/v1/config");
        String etag = config.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> stale = postYaml("/api/v1/config", original.replace("Snapshot test cell", "Press line"),
                "\"0000\"");
        assertThat(stale.statusCode()).isEqualTo(412);
        HttpResponse<String> changed = postYaml("/api/v1/config", original.replace("Snapshot test cell", "Press line"),
                etag);
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(changed.body()).contains("\"outcome\":\"APPLIED\"");
        HttpResponse<String> back = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/snapshots/1/rollback"))
                .header("Authorization", ConsoleFixture.basic(ERIK, ERIK_PASSWORD)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(Files.readString(cellDir.resolve("cell.yaml"))).isEqualTo(original);
    }

    @Test
    @Order(6)
    void consoleSection_portAndSessions_consoleMovesToThePortOfCellYamlAndSessionsEnd() throws Exception {
        // No default rule lets anyone configure the console section; the test cell grants it to Engineers.
        String denied = postYaml("/api/v1/config", original.replace("confirmSeconds: 10", "confirmSeconds: 20")
                .replace("engineers-console, role: Engineer", "engineers-console, role: Auditor"),
                get("/api/v1/config").headers().firstValue("ETag").orElseThrow()).body();
        assertThat(denied).contains("Not allowed: manage_policy on section 'access'");
        int port = Mosquitto.freePort();
        String moved = original.replace("  safeChange: { confirmSeconds: 10 }", "  port: " + port
                + "\n  bindAddress: 127.0.0.1\n  sessionIdleMinutes: 20\n  safeChange: { confirmSeconds: 10 }");
        String etag = get("/api/v1/config").headers().firstValue("ETag").orElseThrow();
        try {
            postYaml("/api/v1/config", moved, etag);
        } catch (IOException e) {
            // The listener this request came in on may close before the answer: the console moves.
        }
        String old = base;
        base = "https://127.0.0.1:" + port;
        waitFor(() -> status().contains("\"id\":\"counter-1\""), "the console on port " + port + " from cell.yaml");
        assertThat(Files.readString(cellDir.resolve("cell.yaml"))).isEqualTo(moved);
        assertThat(reachable(old)).as("the old port (from -Dcellgate.console.port=0) is closed").isFalse();

        browser.get(base + "/snapshots");
        assertThat(browser.getCurrentUrl()).as("the console restarted with the new settings: the session ended")
                .endsWith("/login");
        login(ERIK, ERIK_PASSWORD);
        browser.get(base + "/snapshots");
        assertThat(row(8)).contains(ERIK).contains("(running)");
    }

    private static boolean reachable(String url) {
        URI u = URI.create(url);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String row(long id) {
        return browser.findElement(By.cssSelector("tr[data-snapshot='" + id + "']")).getText();
    }

    private static void waitForMessage() {
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> !d.findElements(By.id("error")).isEmpty()
                || !d.findElements(By.id("message")).isEmpty());
    }

    private static String status() {
        try {
            return get("/api/v1/status").body();
        } catch (Exception e) {
            return "";
        }
    }

    private static void login(String user, String password) throws InterruptedException {
        waitFor(() -> ConsoleFixture.tryLogin(browser, base, user, password), "login of " + user);
    }

    private static String text(String id) {
        return ConsoleFixture.text(browser, id);
    }

    private static void screenshot(String name) throws Exception {
        ConsoleFixture.screenshot(browser, screenshots, name);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return ConsoleFixture.get(http, base, path, ERIK, ERIK_PASSWORD, Duration.ofSeconds(30));
    }

    private static HttpResponse<String> postYaml(String path, String yaml, String ifMatch) throws Exception {
        return http.send(ConsoleFixture.request(base, path, ERIK, ERIK_PASSWORD, Duration.ofSeconds(90))
                .header("Content-Type", "application/yaml").header("If-Match", ifMatch).header("X-Change-Reason", "renamed")
                .POST(HttpRequest.BodyPublishers.ofString(yaml)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        ConsoleFixture.await(condition, what, 90, browser, gateway);
    }
}
