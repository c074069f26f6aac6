package io.cellgate.sparkplug.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.cellgate.mqtt.testing.Mosquitto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The Devices and tags page in a real headless browser against the real gateway jar: an Engineer adds a device from a
 * profile pointing to a second pymodbus device and watches its live values on the device page and the dashboard; a bad
 * field shows its error; test read; a tag's edit; CSV export and import (a bad row refused, nothing applied); disable,
 * enable, remove; an Observer changes nothing; bad input to every /api/v1/devices endpoint. Screenshots go to
 * docs/console/devices*.png. The methods follow one device's life, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleDevicesBrowserTest {

    private static final String ERIK = "erik";
    private static final String ERIK_PASSWORD = "engineer of the press line";
    private static final String OTTO = "otto";
    private static final String OTTO_PASSWORD = "observer on the night shift";
    private static final String NEW = "plc-2";

    @TempDir
    static Path dir;

    private static CounterDevice first;
    private static CounterDevice second;
    private static int secondPort;
    private static ConsoleTestGateway gateway;
    private static String base;
    private static WebDriver browser;
    private static HttpClient http;
    private static Path screenshots;

    @BeforeAll
    static void start() throws Exception {
        ConsoleFixture.assumeChromium();
        Path jar = ConsoleFixture.jar();
        Path unit = ConsoleFixture.unit();
        screenshots = ConsoleFixture.screenshotDir();

        int firstPort = Mosquitto.freePort();
        first = CounterDevice.start(firstPort, dir.resolve("first.log"));
        first.set(7);
        secondPort = Mosquitto.freePort();
        second = CounterDevice.start(secondPort, dir.resolve("second.log"));
        second.set(4242);
        Path cell = writeCell(dir, firstPort);
        Path state = dir.resolve("state");
        gateway = new ConsoleTestGateway(jar, unit, cell, state, dir.resolve("gateway.log"));
        gateway.oneTimePassword(120);
        base = gateway.awaitConsole(120);
        gateway.addUser(ERIK, "Engineer,Observer", ERIK_PASSWORD);
        gateway.addUser(OTTO, "Observer", OTTO_PASSWORD);
        http = ConsoleFixture.https(state);
        browser = ConsoleFixture.chromium(1400, null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    /** One device (counter-1) on the first pymodbus device; the profile is the one the Engineer adds plc-2 from. */
    private static Path writeCell(Path root, int devicePort) throws Exception {
        Path cell = ConsoleFixture.cellWithProfile(root);
        Files.writeString(cell.resolve("cell.yaml"), """
                # the console test cell: comments must survive the console's edits
                cell:
                  id: console-devices
                  name: Console devices test cell
                profiles: [profiles]
                pollGroups:
                  fast: 200ms
                devices:
                  # the first press
                  - id: counter-1
                    profile: setpoint-device
                    endpoint: { protocol: modbus-tcp, host: 127.0.0.1, port: %d }
                    unitId: 1
                    timeout: 500ms
                opcua:
                  port: %d
                  bindAddress: 127.0.0.1
                  hostname: localhost
                  certificate: { dnsNames: [localhost], ipAddresses: [127.0.0.1] }
                access:
                  - role: Observer
                    tags: ["*/*"]
                    allow: [browse, read, subscribe]
                """.formatted(devicePort, Mosquitto.freePort()));
        return cell;
    }

    // ---------------------------------------------------------------- browser

    @Test
    @Order(1)
    void addDevice_badFieldThenGood_errorNamesTheFieldThenLiveValuesAppear() throws Exception {
        login(ERIK, ERIK_PASSWORD);
        browser.get(base + "/devices");
        waitFor(() -> rowText("counter-1").contains("CONNECTED"), "counter-1 connected in the device list");
        screenshot("devices");

        fillAddForm(NEW, "setpoint-device", "127.0.0.1", "99999");
        browser.findElement(By.id("add-device-button")).click();
        waitFor(() -> !browser.findElements(By.id("error-port")).isEmpty(), "the port field's error");
        assertThat(text("error-port")).isEqualTo("port: 99999 is outside 1..65535");
        assertThat(browser.findElement(By.id("f-port")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.id("f-id")).getAttribute("value")).as("what was entered stays").isEqualTo(NEW);
        screenshot("devices-field-error");
        assertThat(get("/api/v1/devices/" + NEW, ERIK, ERIK_PASSWORD).statusCode()).as("nothing was added").isEqualTo(404);

        browser.findElement(By.id("f-port")).clear();
        browser.findElement(By.id("f-port")).sendKeys(Integer.toString(secondPort));
        browser.findElement(By.id("add-device-button")).click();
        waitFor(() -> browser.getCurrentUrl().contains("/devices/device?id=" + NEW), "the new device's page");
        assertThat(text("message")).startsWith("Applied: device " + NEW + " added");
        waitFor(() -> valueCell(NEW + "/setpoint").equals("4242"), "the live value of plc-2/setpoint on its page");
        assertThat(text("device-state")).startsWith("CONNECTED");
        screenshot("devices-device");

        browser.get(base + "/");
        waitFor(() -> valueCell(NEW + "/setpoint").equals("4242"), "plc-2/setpoint on the dashboard");
        assertThat(browser.findElement(By.cssSelector("tr[data-device='" + NEW + "']")).getText()).contains("CONNECTED");
    }

    @Test
    @Order(2)
    void testRead_readsTheDeviceNow() throws Exception {
        second.set(4343);
        openDevice(NEW);
        browser.findElement(By.cssSelector("tr[data-tag='setpoint'] button.test-read")).click();
        waitFor(() -> !browser.findElements(By.id("read-value")).isEmpty(), "the test read's result");
        assertThat(text("read-value")).isEqualTo("4343");
        assertThat(text("read-quality")).isEqualTo("Good");
        assertThat(text("read-time")).endsWith("UTC");
        screenshot("devices-test-read");
        waitFor(() -> gateway.auditTrail().contains("\"action\":\"device.test_read\""), "the test read in the audit trail");
    }

    @Test
    @Order(3)
    void editTag_badThenGood_fieldErrorThenApplied() throws Exception {
        openDevice(NEW);
        setField("scale", "0");
        browser.findElement(By.id("save-tag")).click();
        waitFor(() -> !browser.findElements(By.id("error-scale")).isEmpty(), "the scale field's error");
        assertThat(text("error-scale")).isEqualTo("scale: must not be 0 (it would turn every value into the offset)");

        openDevice(NEW);
        setField("description", "Spindle speed");
        setField("unit", "1/min");
        browser.findElement(By.id("save-tag")).click();
        waitFor(() -> browser.findElements(By.id("message")).stream().anyMatch(e -> e.getText().contains("tag setpoint changed")),
                "the tag change applied");
        assertThat(browser.findElement(By.cssSelector("tr[data-tag='setpoint']")).getText()).contains("Spindle speed", "1/min");
        HttpResponse<String> device = get("/api/v1/devices/" + NEW, ERIK, ERIK_PASSWORD);
        assertThat(device.body()).contains("\"description\":\"Spindle speed\"", "\"unit\":\"1/min\"", "\"overridden\":true");
    }

    @Test
    @Order(4)
    void csv_exportImportRoundTrip_badRowRefusedGoodFileApplied() throws Exception {
        HttpResponse<String> export = get("/api/v1/devices/" + NEW + "/tags.csv", ERIK, ERIK_PASSWORD);
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
        assertThat(export.body()).isEqualTo("name,area,address,type,unit,description,scale,offset,access,min,max,deadband,pollGroup\r\n"
                + "setpoint,holding_register,0,uint16,1/min,Spindle speed,1,0,read_write,0,1000,0,\r\n");

        openDevice(NEW);
        paste(export.body().replace(",1,0,read_write,", ",abc,0,read_write,"));
        browser.findElement(By.id("import-button")).click();
        waitFor(() -> !browser.findElements(By.id("csv-errors")).isEmpty(), "the CSV errors");
        assertThat(text("csv-errors")).isEqualTo("row 2, column scale: 'abc' is not a number");
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'})",
                browser.findElement(By.id("csv-errors")));
        screenshot("devices-csv-error");
        assertThat(get("/api/v1/devices/" + NEW + "/tags.csv", ERIK, ERIK_PASSWORD).body()).as("nothing applied")
                .isEqualTo(export.body());

        // The edited file chosen as a file: the page's script reads it into the form.
        Path edited = Files.writeString(dir.resolve(NEW + "-tags.csv"), export.body().replace(",0,1000,0,", ",0,900,0,")
                .replace("Spindle speed", "\"Spindle speed, main drive\""));
        openDevice(NEW);
        browser.findElement(By.id("csv-file")).sendKeys(edited.toString());
        waitFor(() -> browser.findElement(By.id("csv")).getAttribute("value").contains("main drive"),
                "the chosen file in the import form");
        browser.findElement(By.id("import-button")).click();
        waitFor(() -> browser.findElements(By.id("message")).stream().anyMatch(e -> e.getText().contains("tag list imported")),
                "the import applied");
        assertThat(get("/api/v1/devices/" + NEW + "/tags.csv", ERIK, ERIK_PASSWORD).body())
                .contains("setpoint,holding_register,0,uint16,1/min,\"Spindle speed, main drive\",1,0,read_write,0,900,0,");
        assertThat(gateway.auditTrail()).contains("tag list imported");
    }

    @Test
    @Order(5)
    void disableEnableRemove_keptInTheFileNotPolledThenGone() throws Exception {
        openDevice(NEW);
        browser.findElement(By.id("toggle-enabled")).click();
        waitFor(() -> browser.getCurrentUrl().contains("done="), "the disable applied");
        assertThat(text("device-enabled")).startsWith("no");
        waitFor(() -> deviceState(NEW).equals("DISABLED"), "plc-2 disabled on the bus");

        browser.findElement(By.id("toggle-enabled")).click();
        waitFor(() -> browser.getCurrentUrl().contains("done=") && text("device-enabled").equals("yes"), "the enable applied");
        waitFor(() -> deviceState(NEW).equals("CONNECTED"), "plc-2 polled again");

        browser.findElement(By.id("remove-device")).click();
        waitFor(() -> !browser.findElements(By.id("confirm-remove-button")).isEmpty(), "the confirmation");
        assertThat(get("/api/v1/devices/" + NEW, ERIK, ERIK_PASSWORD).statusCode()).as("not removed before confirming")
                .isEqualTo(200);
        browser.findElement(By.id("confirm-remove-button")).click();
        waitFor(() -> browser.getCurrentUrl().contains("/devices?done="), "back on the list");
        assertThat(browser.findElements(By.cssSelector("tr[data-device='" + NEW + "']"))).isEmpty();
        assertThat(get("/api/v1/devices/" + NEW, ERIK, ERIK_PASSWORD).statusCode()).isEqualTo(404);
        logout();
    }

    @Test
    @Order(6)
    void observer_seesDevicesChangesNothing() throws Exception {
        login(OTTO, OTTO_PASSWORD);
        browser.get(base + "/devices");
        assertThat(text("read-only")).contains("Read-only for you");
        assertThat(browser.findElements(By.id("add-device"))).isEmpty();
        openDevice("counter-1");
        assertThat(browser.findElements(By.id("edit-device"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("button.test-read"))).isEmpty();
        HttpResponse<String> add = post("/api/v1/devices", OTTO, OTTO_PASSWORD, "application/json",
                "{\"id\": \"x-1\", \"profile\": \"setpoint-device\", \"protocol\": \"modbus-tcp\", \"host\": \"127.0.0.1\"}");
        assertThat(add.statusCode()).as(add.body()).isEqualTo(403);
        assertThat(post("/api/v1/devices/counter-1/tags/setpoint/read", OTTO, OTTO_PASSWORD, "application/json", "{}")
                .statusCode()).isEqualTo(403);
        waitFor(() -> gateway.auditTrail().contains("\"action\":\"device.add\"") , "the refusal in the audit trail");
        logout();
    }

    // ---------------------------------------------------------------- API

    @Test
    @Order(7)
    void api_createChangeReadDelete_forScripts() throws Exception {
        HttpResponse<String> create = post("/api/v1/devices", ERIK, ERIK_PASSWORD, "application/json",
                "{\"id\": \"plc-3\", \"profile\": \"setpoint-device\", \"protocol\": \"modbus-tcp\", \"host\": \"127.0.0.1\", "
                        + "\"port\": " + secondPort + ", \"unitId\": 1, \"name\": \"Press 3\"}");
        assertThat(create.statusCode()).as(create.body()).isEqualTo(200);
        assertThat(create.body()).contains("\"ok\":true", "device plc-3 added");
        waitFor(() -> deviceState("plc-3").equals("CONNECTED"), "plc-3 connected");
        HttpResponse<String> read = post("/api/v1/devices/plc-3/tags/setpoint/read", ERIK, ERIK_PASSWORD, "application/json", "{}");
        assertThat(read.body()).contains("\"ok\":true", "\"quality\":\"GOOD\"", "\"value\":\"4343\"");
        HttpResponse<String> change = post("/api/v1/devices/plc-3", ERIK, ERIK_PASSWORD, "application/json",
                "{\"enabled\": false}");
        assertThat(change.statusCode()).as(change.body()).isEqualTo(200);
        assertThat(get("/api/v1/devices/plc-3", ERIK, ERIK_PASSWORD).body()).contains("\"enabled\":false", "\"name\":\"Press 3\"");
        HttpResponse<String> list = get("/api/v1/devices", ERIK, ERIK_PASSWORD);
        assertThat(list.body()).contains("\"id\":\"counter-1\"", "\"id\":\"plc-3\"");
        assertThat(post("/api/v1/devices/plc-3/delete", ERIK, ERIK_PASSWORD, "application/json", "{}").statusCode())
                .isEqualTo(200);
        assertThat(get("/api/v1/devices/plc-3", ERIK, ERIK_PASSWORD).statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0} {1} {3} -> {4}")
    @Order(8)
    @CsvSource(delimiter = '|', value = {
        "POST|/api/v1/devices|application/json|{\"id\": \"a\"|400|body: not valid JSON",
        "POST|/api/v1/devices|text/plain|{}|415|Content-Type: expected application/json",
        "POST|/api/v1/devices|application/json|{\"colour\": 1}|400|colour: unknown field",
        "POST|/api/v1/devices|application/json|{\"id\": [\"a\", \"b\"]}|400|id: expected one value",
        "POST|/api/v1/devices|application/json|{\"profile\": \"setpoint-device\", \"protocol\": \"modbus-tcp\", \"host\": \"h\"}|400|id: required",
        "POST|/api/v1/devices|application/json|{\"id\": \"counter-1\", \"profile\": \"setpoint-device\", \"protocol\": \"modbus-tcp\", \"host\": \"h\"}|400|id: a device 'counter-1' exists already",
        "POST|/api/v1/devices|application/json|{\"id\": \"b-1\", \"profile\": \"setpoint-device\", \"protocol\": \"s7\", \"host\": \"h\"}|400|protocol: 's7' is not one of",
        "POST|/api/v1/devices|application/json|{\"id\": \"b-1\", \"profile\": \"setpoint-device\", \"protocol\": \"modbus-rtu\", \"serialPort\": \"/dev/ttyS0\", \"baudRate\": 1234, \"parity\": \"even\"}|400|baudRate: 1234 is not a standard baud rate",
        "POST|/api/v1/devices|application/json|{\"id\": \"b-1\", \"profile\": \"no-such-profile\", \"protocol\": \"modbus-tcp\", \"host\": \"h\"}|400|profile: profile 'no-such-profile' not found",
        "POST|/api/v1/devices|application/json|{\"id\": \"b-1\", \"profile\": \"setpoint-device\", \"protocol\": \"modbus-tcp\", \"host\": \"h\", \"pollGroups\": \"fast=soon\"}|400|pollGroups: 'soon' for fast is not a duration",
        "GET|/api/v1/devices/nope|||404|device: no device 'nope'",
        "POST|/api/v1/devices/nope|application/json|{\"name\": \"x\"}|404|device: no device 'nope'",
        "POST|/api/v1/devices/counter-1|application/json|{\"id\": \"other\"}|400|id: a device's id cannot change",
        "POST|/api/v1/devices/counter-1|application/json|{\"unitId\": 300}|400|unitId: 300 is outside 0..255",
        "POST|/api/v1/devices/counter-1|application/json|{\"host\": \"bad host!\"}|400|host: 'bad host!' is not a host name",
        "GET|/api/v1/devices/counter-1/delete|||405|method: GET is not allowed here; use POST",
        "POST|/api/v1/devices/nope/delete|application/json|{}|404|device: no device 'nope'",
        "GET|/api/v1/devices/nope/tags.csv|||404|device: no device 'nope'",
        "POST|/api/v1/devices/counter-1/tags.csv|application/json|{}|415|Content-Type: expected text/csv",
        "POST|/api/v1/devices/counter-1/tags.csv|text/csv|name,scale\\nsetpoint,0\\n|400|row 2, column scale: must not be 0",
        "POST|/api/v1/devices/counter-1/tags.csv|text/csv|name,unit\\n|400|row 2, column name: tag 'setpoint' of profile 'setpoint-device' has no row",
        "POST|/api/v1/devices/counter-1/tags/nope|application/json|{\"unit\": \"V\"}|400|tag: profile 'setpoint-device' has no tag 'nope'",
        "POST|/api/v1/devices/counter-1/tags/setpoint|application/json|{\"scale\": \"x\"}|400|scale: 'x' is not a number",
        "POST|/api/v1/devices/counter-1/tags/setpoint|application/json|{\"min\": 50, \"max\": 10}|400|setpoint.min: min 50 is greater than max 10",
        "POST|/api/v1/devices/counter-1/tags/setpoint|application/json|{\"address\": 3}|400|address: unknown field",
        "POST|/api/v1/devices/counter-1/tags/nope/read|application/json|{}|404|tag: counter-1/nope is not configured",
        "GET|/api/v1/devices/counter-1/tags/setpoint/read|||405|method: GET is not allowed here; use POST",
        "GET|/api/v1/devices/counter-1/what/ever|||404|path: no API resource",
    })
    void api_badInput_refusedNamingWhatAndWhereNothingChanged(String method, String path, String type, String body,
            int status, String error) throws Exception {
        String before = get("/api/v1/devices", ERIK, ERIK_PASSWORD).body();
        HttpResponse<String> r = method.equals("GET") ? get(path, ERIK, ERIK_PASSWORD)
                : post(path, ERIK, ERIK_PASSWORD, type, body.replace("\\n", "\n"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).contains("\"error\":\"" + error);
        assertThat(get("/api/v1/devices", ERIK, ERIK_PASSWORD).body()).as("nothing changed").isEqualTo(before);
    }

    @Test
    @Order(9)
    void api_noCredentials_unauthorized() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/devices")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
    }

    @Test
    @Order(10)
    void cellYaml_afterEveryChange_commentsOfTheAdminSurvive() throws Exception {
        String text = Files.readString(dir.resolve("cell/cell.yaml"));
        assertThat(text).startsWith("# the console test cell: comments must survive the console's edits\n")
                .contains("  # the first press\n  - id: counter-1\n").doesNotContain(NEW).doesNotContain("plc-3");
    }

    // ---------------------------------------------------------------- helpers

    private static void fillAddForm(String id, String profile, String host, String port) {
        browser.findElement(By.id("f-id")).sendKeys(id);
        browser.findElement(By.id("f-profile")).sendKeys(profile);
        browser.findElement(By.id("f-host")).sendKeys(host);
        browser.findElement(By.id("f-port")).sendKeys(port);
        browser.findElement(By.id("f-unitId")).sendKeys("1");
    }

    private static void setField(String name, String value) {
        WebElement f = browser.findElement(By.id("f-" + name));
        f.clear();
        f.sendKeys(value);
    }

    /** Puts text into the import form's text area as a paste would (sendKeys would type it key by key). */
    private static void paste(String csv) {
        ((JavascriptExecutor) browser).executeScript("document.getElementById('csv').value = arguments[0]", csv);
    }

    private static void openDevice(String id) {
        browser.get(base + "/devices/device?id=" + id);
    }

    private static String rowText(String id) {
        List<WebElement> rows = browser.findElements(By.cssSelector("tr[data-device='" + id + "']"));
        if (rows.isEmpty()) {
            return "";
        }
        browser.navigate().refresh();
        rows = browser.findElements(By.cssSelector("tr[data-device='" + id + "']"));
        return rows.isEmpty() ? "" : rows.get(0).getText();
    }

    private static String valueCell(String path) {
        List<WebElement> cells = browser.findElements(By.cssSelector("tr[data-path='" + path + "'] td.value"));
        return cells.isEmpty() ? "" : cells.get(0).getText();
    }

    private static String deviceState(String id) {
        try {
            String body = get("/api/v1/devices/" + id, ERIK, ERIK_PASSWORD).body();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"state\":\"([A-Z_]+)\"").matcher(body);
            return m.find() ? m.group(1) : "";
        } catch (Exception e) {
            return "";
        }
    }

    private static void login(String user, String password) throws InterruptedException {
        waitFor(() -> ConsoleFixture.tryLogin(browser, base, user, password), "login of " + user);
    }

    private static void logout() {
        ConsoleFixture.logout(browser);
    }

    private static String text(String id) {
        return ConsoleFixture.text(browser, id);
    }

    private static void screenshot(String name) throws Exception {
        ConsoleFixture.screenshot(browser, screenshots, name);
    }

    private static HttpResponse<String> get(String path, String user, String password) throws Exception {
        return ConsoleFixture.get(http, base, path, user, password, Duration.ofSeconds(90));
    }

    private static HttpResponse<String> post(String path, String user, String password, String type, String body)
            throws Exception {
        return ConsoleFixture.post(http, base, path, user, password, type, body, Duration.ofSeconds(90));
    }

    /** Waits for a state (never a fixed time), failing with what was awaited and the gateway's log tail. */
    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        ConsoleFixture.await(condition, what, 60, browser, gateway);
    }
}
