package io.cellgate.sparkplug.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.mqtt.testing.Mosquitto;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The packaged gateway's REST verbs and profile library: DELETE a device and PUT its tag list as a script does (same
 * policy and audit as the POST forms, which keep working), 405 with the resource's methods in Allow elsewhere, a
 * cross-site DELETE and a session's DELETE without its CSRF token refused; the Devices page offers every valid profile
 * on the search path (also one no device uses, with vendor and model) and names an invalid one by file:line:col.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleRestVerbsTest {

    /** The packaged gateway with its pymodbus device and users (erik Engineer, otto Observer, audrey Auditor). */
    private ConsoleFixture f;

    @TempDir
    static Path dir;

    @BeforeAll
    void start() throws Exception {
        f = ConsoleFixture.start(dir);
        // Profiles no device uses, dropped into the running cell's profile directory (the file watch picks them up).
        Path profiles = dir.resolve("cell/profiles");
        Files.writeString(profiles.resolve("spare-vfd.yaml"), """
                profile:
                  id: spare-vfd
                  vendor: ABB
                  model: ACS580
                tags:
                  - { name: speed, area: holding_register, address: 1, type: uint16, unit: rpm }
                """);
        Files.writeString(profiles.resolve("broken.yaml"), """
                profile:
                  id: broken
                tags:
                  - { name: speed, area: holding_register, address: 70000, type: uint16 }
                """);
    }

    @AfterAll
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String user, String password, String type, String body,
            Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", ConsoleFixture.basic(user, password));
        if (type != null) {
            b.header("Content-Type", type);
        }
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return f.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> erik(String method, String path, String type, String body) throws Exception {
        return send(method, path, ConsoleFixture.ERIK, ConsoleFixture.ERIK_PASSWORD, type, body, Map.of());
    }

    /** Adds a device with the profile no device used before (the loader reads it from the search path). */
    private void addSpare(String id) throws Exception {
        HttpResponse<String> created = f.post("/api/v1/devices", ConsoleFixture.ERIK, ConsoleFixture.ERIK_PASSWORD,
                "application/json", "{\"id\": \"" + id + "\", \"profile\": \"spare-vfd\", \"protocol\": \"modbus-tcp\", "
                        + "\"host\": \"127.0.0.1\", \"port\": " + Mosquitto.freePort() + ", \"unitId\": 1}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    @Test
    void deleteDevice_engineer_removedAndAuditedAsTheCaller_observerRefused() throws Exception {
        addSpare("spare-1");
        HttpResponse<String> refused = send("DELETE", "/api/v1/devices/spare-1", ConsoleFixture.OTTO,
                ConsoleFixture.OTTO_PASSWORD, null, null, Map.of());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);

        HttpResponse<String> deleted = erik("DELETE", "/api/v1/devices/spare-1", null, null);

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.body()).contains("\"ok\":true", "spare-1 removed");
        assertThat(erik("GET", "/api/v1/devices/spare-1", null, null).statusCode()).isEqualTo(404);
        assertThat(erik("DELETE", "/api/v1/devices/spare-1", null, null).statusCode()).isEqualTo(404);
        // The refusal is the console's device.remove record; the change is the configuration editor's, as erik.
        HttpResponse<String> denied = f.get("/api/v1/audit?action=device.remove", ConsoleFixture.AUDREY,
                ConsoleFixture.AUDREY_PASSWORD);
        assertThat(denied.body()).contains("\"identity\":\"otto\"", "\"resource\":\"devices/spare-1\"",
                "\"result\":\"DENIED\"");
        HttpResponse<String> changed = f.get("/api/v1/audit?action=config.change&identity=erik&text=spare-1",
                ConsoleFixture.AUDREY, ConsoleFixture.AUDREY_PASSWORD);
        assertThat(changed.body()).contains("\"result\":\"SUCCESS\"", "spare-1 removed");
    }

    @Test
    void deleteDevice_oldPostForm_stillRemoves() throws Exception {
        addSpare("spare-2");

        HttpResponse<String> deleted = erik("POST", "/api/v1/devices/spare-2/delete", "application/json", "{}");

        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(erik("GET", "/api/v1/devices/spare-2", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void putTagsCsv_editedExport_replacesTheList_badRowChangesNothing() throws Exception {
        String csv = erik("GET", "/api/v1/devices/counter-1/tags.csv", null, null).body();
        assertThat(csv).contains(",rpm,");

        HttpResponse<String> bad = erik("PUT", "/api/v1/devices/counter-1/tags.csv", "text/csv",
                csv.replace(",rpm,", ",U/min,").replace("holding_register", "coil"));
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
        assertThat(bad.body()).contains("row ");
        assertThat(erik("GET", "/api/v1/devices/counter-1/tags.csv", null, null).body()).isEqualTo(csv);
        HttpResponse<String> put = erik("PUT", "/api/v1/devices/counter-1/tags.csv", "text/csv", csv.replace(",rpm,", ",U/min,"));

        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(erik("GET", "/api/v1/devices/counter-1/tags.csv", null, null).body()).contains(",U/min,");
        HttpResponse<String> wrongType = erik("PUT", "/api/v1/devices/counter-1/tags.csv", "application/json", "{}");
        assertThat(wrongType.statusCode()).isEqualTo(415);
    }

    @Test
    void otherMethods_405WithTheResourcesMethodsInAllow() throws Exception {
        record Expect(String method, String path, String allow) {
        }
        for (Expect e : List.of(new Expect("PUT", "/api/v1/status", "GET"),
                new Expect("DELETE", "/api/v1/devices/counter-1/delete", "POST"),
                new Expect("PUT", "/api/v1/devices/counter-1", "GET, POST, DELETE"),
                new Expect("DELETE", "/api/v1/devices/counter-1/tags.csv", "GET, POST, PUT"),
                new Expect("DELETE", "/api/v1/snapshots/1", "GET"),
                new Expect("PATCH", "/api/v1/devices/counter-1", "GET, POST, DELETE"))) {
            HttpResponse<String> r = erik(e.method(), e.path(), null, null);
            assertThat(r.statusCode()).as(e + ": " + r.body()).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).as(e.toString()).contains(e.allow());
            assertThat(r.body()).as(e.toString()).startsWith("{\"error\":\"method: " + e.method() + " is not allowed");
        }
        HttpResponse<String> page = erik("DELETE", "/devices", null, null);
        assertThat(page.statusCode()).isEqualTo(405);
        assertThat(page.headers().firstValue("Allow")).contains("GET, POST");
        assertThat(erik("DELETE", "/api/v1/nothing/here", null, null).statusCode()).isEqualTo(404);
        assertThat(erik("GET", "/api/v1/devices/counter-1", null, null).statusCode()).as("nothing was removed").isEqualTo(200);
    }

    @Test
    void deleteDevice_crossSiteOrigin_refusedBeforeAnything() throws Exception {
        HttpResponse<String> r = send("DELETE", "/api/v1/devices/counter-1", ConsoleFixture.ERIK,
                ConsoleFixture.ERIK_PASSWORD, null, null, Map.of("Origin", "https://evil.example"));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(erik("GET", "/api/v1/devices/counter-1", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void browserSession_deleteNeedsTheCsrfToken_devicesPageOffersTheProfileLibrary() throws Exception {
        f.withBrowser(dir.resolve("downloads"));
        f.login(ConsoleFixture.ERIK, ConsoleFixture.ERIK_PASSWORD);
        f.waitFor(() -> {
            f.browser.get(f.base + "/devices");
            return !f.browser.findElements(By.cssSelector("#profiles option[value='spare-vfd']")).isEmpty()
                    && !f.browser.findElements(By.id("profile-problems")).isEmpty();
        }, "the new profiles offered on the Devices page");
        List<String> options = f.browser.findElements(By.cssSelector("#profiles option")).stream()
                .map(o -> o.getAttribute("value") + " | " + o.getAttribute("textContent")).toList();
        assertThat(options).containsExactly("setpoint-device | setpoint-device \u2014 Test pymodbus register",
                "spare-vfd | spare-vfd \u2014 ABB ACS580");
        assertThat(f.text("profile-problems")).contains("profiles/broken.yaml:4:", "70000");
        JavascriptExecutor js = (JavascriptExecutor) f.browser;
        // The choices are a native pop-up a screenshot does not show; the list of refused files is on the page.
        js.executeScript("document.getElementById('profile-problems').scrollIntoView({block: 'center'})");
        f.screenshot("devices-profile-problems");
        addSpare("spare-3");
        WebElement token = f.browser.findElement(By.name("csrf"));
        String csrf = token.getAttribute("value");
        String script = "const done = arguments[arguments.length - 1];"
                + "fetch('/api/v1/devices/spare-3', {method: 'DELETE', headers: arguments[0]})"
                + ".then(r => r.text().then(t => done(r.status + ' ' + t))).catch(e => done('error ' + e));";

        Object without = js.executeAsyncScript(script, Map.of());
        Object with = js.executeAsyncScript(script, Map.of("X-CSRF-Token", csrf));

        assertThat(String.valueOf(without)).startsWith("403 ").contains("X-CSRF-Token: missing or wrong");
        assertThat(String.valueOf(with)).startsWith("200 ").contains("spare-3 removed");
    }
}
