package io.cellgate.sparkplug.itest;

import static io.cellgate.sparkplug.itest.ConsoleFixture.AUDREY;
import static io.cellgate.sparkplug.itest.ConsoleFixture.AUDREY_PASSWORD;
import static io.cellgate.sparkplug.itest.ConsoleFixture.ERIK;
import static io.cellgate.sparkplug.itest.ConsoleFixture.ERIK_PASSWORD;
import static io.cellgate.sparkplug.itest.ConsoleFixture.OTTO;
import static io.cellgate.sparkplug.itest.ConsoleFixture.OTTO_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The Components and Audit pages in a real headless chromium against the packaged jar: an Engineer's bad value is
 * refused with the field named and nothing applied, a valid one is applied and shown; the Auditor finds the change in
 * the trail, verifies the chain and downloads the export. Then an Observer tries every POST route of the console and
 * every POST operation of the API (both enumerated at test time) and changes nothing, and no page offers an Observer
 * a control that changes something. Screenshots go to docs/console/components*.png and audit*.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleComponentsAuditBrowserTest {

    private static final String VALUELOG = "cellgate.valuelog";

    @TempDir
    static Path dir;

    private static ConsoleFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = ConsoleFixture.start(dir);
        f.withBrowser(Files.createDirectories(dir.resolve("downloads")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @Test
    @Order(1)
    void components_engineer_badValueNamesTheField_validValueIsAppliedAndShown() throws Exception {
        f.login(ERIK, ERIK_PASSWORD);
        f.browser.get(f.base + "/components");
        WebElement row = f.browser.findElement(By.cssSelector("tr[data-pid='" + VALUELOG + "']"));
        assertThat(row.findElement(By.cssSelector("td.managed")).getText()).startsWith("editable");
        assertThat(f.browser.findElement(By.cssSelector("tr[data-pid='cellgate.opcua'] td.managed")).getText())
                .isEqualTo("configured in cell.yaml, section opcua");
        f.screenshot("components");

        row.findElement(By.tagName("a")).click();
        f.waitFor(() -> !f.browser.findElements(By.id("component-form")).isEmpty(), "the value log component's form");
        setField("interval.ms", "often");
        f.browser.findElement(By.id("apply")).click();
        f.waitFor(() -> !f.browser.findElements(By.id("error")).isEmpty(), "the refusal of the bad value");
        assertThat(f.text("error-interval.ms")).isEqualTo("interval.ms: 'often' is not a whole number (long)");
        setField("interval.ms", "100");
        f.browser.findElement(By.id("apply")).click();
        f.waitFor(() -> f.text("error-interval.ms").contains("100"), "the refusal of the value under the minimum");
        assertThat(f.text("error-interval.ms")).isEqualTo("interval.ms: '100': less than minimum");
        assertThat(f.browser.findElement(By.id("field-interval.ms")).getAttribute("value"))
                .as("what was entered stays in the form").isEqualTo("100");
        f.screenshot("components-error");
        assertThat(f.get("/api/v1/components/" + VALUELOG, ERIK, ERIK_PASSWORD).body()).as("nothing applied")
                .doesNotContain("\"interval.ms\":100");

        setField("interval.ms", "5000");
        f.browser.findElement(By.id("apply")).click();
        f.waitFor(() -> !f.browser.findElements(By.id("message")).isEmpty(), "the answer to the valid value");
        assertThat(f.text("message")).isEqualTo("applied to cellgate.valuelog: interval.ms");
        f.browser.get(f.base + "/components?pid=" + VALUELOG);
        assertThat(f.browser.findElement(By.id("field-interval.ms")).getAttribute("value")).isEqualTo("5000");
        f.screenshot("components-applied");
        assertThat(f.get("/api/v1/components/" + VALUELOG, ERIK, ERIK_PASSWORD).body()).contains("\"interval.ms\":5000");

        // A PID derived from cell.yaml is read-only here: no form, the section named.
        f.browser.get(f.base + "/components?pid=cellgate.opcua");
        assertThat(f.text("managed")).isEqualTo("Read-only: configured in cell.yaml, section opcua.");
        assertThat(f.browser.findElements(By.id("apply"))).isEmpty();
        f.logout();
        f.waitFor(() -> f.gateway.auditTrail().contains("\"action\":\"component.configure\""), "the change in the trail");
        assertThat(f.gateway.auditTrail()).as("field names are audited, never values").contains("\"reason\":\"fields interval.ms\"");
    }

    @Test
    @Order(2)
    void audit_auditor_filterFindsTheChange_verifySaysIntact_exportDownloads() throws Exception {
        f.login(AUDREY, AUDREY_PASSWORD);
        f.browser.get(f.base + "/audit");
        f.browser.findElement(By.id("filter-identity")).sendKeys(ERIK);
        f.browser.findElement(By.id("filter-action")).sendKeys("component.*");
        f.browser.findElement(By.id("filter")).click();
        f.waitFor(() -> f.browser.getCurrentUrl().contains("identity=erik"), "the filtered trail");
        List<WebElement> rows = f.browser.findElements(By.cssSelector("#audit-records tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getText()).contains("erik", "component.configure", VALUELOG, "SUCCESS", "fields interval.ms");
        f.screenshot("audit");

        f.browser.findElement(By.id("verify")).click();
        f.waitFor(() -> !f.browser.findElements(By.id("verify-result")).isEmpty(), "the verification");
        assertThat(f.text("verify-result")).startsWith("Intact");
        assertThat(f.text("verify-report")).startsWith("OK: ");
        f.screenshot("audit-verify");

        f.browser.get(f.base + "/audit?identity=erik&action=component.*");
        f.browser.findElement(By.id("export-csv")).click();
        Path csv = dir.resolve("downloads/cellgate-audit.csv");
        f.waitFor(() -> Files.exists(csv) && size(csv) > 0, "the downloaded CSV export");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("seq,time,identity,source,action,resource,result,reason,rule,hash");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains(",erik,", ",component.configure,cellgate.valuelog,SUCCESS,");

        HttpResponse<String> jsonl = f.get("/api/v1/audit/export?format=jsonl&identity=erik&action=component.configure",
                AUDREY, AUDREY_PASSWORD);
        assertThat(jsonl.statusCode()).isEqualTo(200);
        assertThat(jsonl.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"cellgate-audit.jsonl\"");
        assertThat(jsonl.body().lines().toList()).hasSize(1).allSatisfy(l -> assertThat(l).contains("\"hash\":"));
        HttpResponse<String> verify = f.get("/api/v1/audit/verify", AUDREY, AUDREY_PASSWORD);
        assertThat(verify.body()).startsWith("{\"intact\":true,\"report\":\"OK: ");
        f.waitFor(() -> f.gateway.auditTrail().contains("\"action\":\"audit.export\""), "the export in the trail");
        f.logout();
    }

    @Test
    @Order(3)
    void audit_engineer_isRefused_andTheRefusalIsAudited() throws Exception {
        f.login(ERIK, ERIK_PASSWORD);
        f.browser.get(f.base + "/audit");
        assertThat(f.text("error")).startsWith("Refused: ");
        f.logout();
        assertThat(f.get("/api/v1/audit", ERIK, ERIK_PASSWORD).statusCode()).isEqualTo(403);
        f.waitFor(() -> ConsoleFixture.countMatches(f.gateway.auditTrail(),
                "\"identity\":\"erik\"[^\\n]*\"action\":\"audit\\.read\"[^\\n]*\"result\":\"DENIED\"") >= 2,
                "erik's two denied audit reads");
    }

    @Test
    @Order(4)
    void observer_everyPostRouteAndApiOperation_isRefused_andNoPageOffersAChange() throws Exception {
        String before = f.get("/api/v1/components", ERIK, ERIK_PASSWORD).body();
        f.login(OTTO, OTTO_PASSWORD);

        // UI: no page of the routes table shows an Observer a form that posts (other than logging out).
        List<String> offered = new ArrayList<>();
        for (ConsoleFixture.Route route : ConsoleFixture.routes()) {
            if (route.get()) {
                for (String page : List.of(route.path(), route.path() + "?pid=" + VALUELOG)) {
                    f.browser.get(f.base + page);
                    for (WebElement form : f.browser.findElements(By.cssSelector("form"))) {
                        String method = form.getAttribute("method");
                        String action = form.getAttribute("action");
                        if ("post".equalsIgnoreCase(method) && !action.endsWith("/logout")) {
                            offered.add(page + " -> " + action);
                        }
                    }
                }
            }
        }
        assertThat(offered).as("forms that post, offered to an Observer").isEmpty();
        f.browser.get(f.base + "/components?pid=" + VALUELOG);
        assertThat(f.text("managed")).startsWith("Read-only for you");
        f.screenshot("components-observer");

        // Every POST route, with the session's own CSRF token (the UI offers none): refused.
        String csrf = f.browser.findElement(By.name("csrf")).getAttribute("value");
        List<String> accepted = new ArrayList<>();
        for (ConsoleFixture.Route route : ConsoleFixture.routes()) {
            if (route.post()) {
                Object status = ((JavascriptExecutor) f.browser).executeAsyncScript("""
                        const done = arguments[arguments.length - 1];
                        const body = new URLSearchParams({csrf: arguments[1], pid: arguments[2], tag: arguments[3],
                            value: '5', 'f.interval.ms': '9000'});
                        fetch(arguments[0], {method: 'POST', body, redirect: 'manual'}).then(r => done(r.status), e => done(String(e)));
                        """, route.path(), csrf, VALUELOG, ConsoleFixture.TAG);
                if (!(status instanceof Long code) || code < 400 || code >= 500) {
                    accepted.add(route.path() + " -> " + status);
                }
                if (route.path().equals("/components") || route.path().equals("/tags/write")) {
                    assertThat(status).as(route.path()).isEqualTo(403L);
                }
            }
        }
        assertThat(accepted).as("POST routes not refused for an Observer").isEmpty();
        f.logout();

        // The API with Basic credentials: every POST operation of the OpenAPI document.
        Map<String, String> samples = Map.of("device", "counter-1", "tag", "setpoint", "pid", VALUELOG);
        Map<String, String> bodies = Map.of("/tags/{device}/{tag}", "{\"value\": 5}", "/components/{pid}",
                "{\"interval.ms\": 9000}");
        List<String> apiAccepted = new ArrayList<>();
        for (ConsoleFixture.Operation op : f.operations()) {
            if (op.method().equals("POST")) {
                HttpResponse<String> r = f.post(op.path(samples), OTTO, OTTO_PASSWORD, "application/json",
                        bodies.getOrDefault(op.template(), "{}"));
                if (r.statusCode() < 400 || r.statusCode() >= 500) {
                    apiAccepted.add(op + " -> " + r.statusCode() + " " + r.body());
                }
                if (bodies.containsKey(op.template())) {
                    assertThat(r.statusCode()).as(op + ": " + r.body()).isEqualTo(403);
                }
            }
        }
        assertThat(apiAccepted).as("API operations not refused for an Observer").isEmpty();

        // Nothing changed: the components are as before, the device still has its value, no success of otto's but logins.
        assertThat(f.get("/api/v1/components", ERIK, ERIK_PASSWORD).body()).isEqualTo(before);
        assertThat(f.get("/api/v1/tags/" + ConsoleFixture.TAG, ConsoleFixture.OLGA, ConsoleFixture.OLGA_PASSWORD).body())
                .contains("\"value\":7");
        List<String> successes = f.gateway.auditTrail().lines()
                .filter(l -> l.contains("\"identity\":\"otto\"") && l.contains("\"result\":\"SUCCESS\"")).toList();
        assertThat(successes).allSatisfy(l -> assertThat(l).containsPattern("\"action\":\"(login|console\\.session\\.[a-z]+|session\\.[a-z]+)\""));
        f.waitFor(() -> ConsoleFixture.countMatches(f.gateway.auditTrail(),
                "\"identity\":\"otto\"[^\\n]*\"action\":\"component\\.configure\"[^\\n]*\"result\":\"DENIED\"") >= 2,
                "otto's denied component changes (page and API) in the trail");
    }

    private static void setField(String id, String value) {
        WebElement input = f.browser.findElement(By.id("field-" + id));
        input.clear();
        input.sendKeys(value);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
