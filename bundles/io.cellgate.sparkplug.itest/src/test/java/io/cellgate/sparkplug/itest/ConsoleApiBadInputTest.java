package io.cellgate.sparkplug.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input for every REST endpoint of the packaged gateway: each answer is a clear 4xx with a JSON error naming the
 * field or part, never a 500, never a stack trace, never a browser challenge.
 * <p>
 * Two tables. {@link #generic()} is built at run time from the gateway's own OpenAPI document, so an endpoint added
 * there is covered without editing this class: a method it does not have (405), and for every POST a wrong content
 * type (415), a body too large (413), malformed JSON and a JSON value that is not an object (400). The generic POST
 * cases expect the shared body check {@code Api.jsonBody} before anything else. {@link #CASES} holds each endpoint's
 * own field errors: to cover a new endpoint (devices, snapshots, security), add its rows there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleApiBadInputTest {

    /** Larger than any endpoint's body limit (tags 4 KiB, components 16 KiB). */
    private static final int OVERSIZED = 40 * 1024;

    /**
     * One request and what it must get.
     *
     * @param who     a fixture user (their roles make the policy allow the request, so that the input check is
     *                reached), {@code none} (no credentials) or {@code bearer}/{@code junk} (bad Authorization)
     * @param type    Content-Type, or null
     * @param body    the body, or null
     * @param message what the {@code error} starts with
     */
    record Case(String method, String path, String who, String type, String body, int status, String message) {
        @Override
        public String toString() {
            return method + " " + path + " as " + who + (type == null ? "" : " " + type)
                    + (body == null ? "" : " " + (body.length() > 60 ? body.substring(0, 60) + "..." : body)) + " -> " + status;
        }
    }

    private static final String JSON = "application/json";

    /** Each endpoint's own bad input. Add the rows of a new endpoint here. */
    static final List<Case> CASES = List.of(
        // the API as a whole
        new Case("GET", "/api/v1/nothing", "sam", null, null, 404, "path: no API resource"),
        new Case("GET", "/api/v1/tags", "none", null, null, 401, "authentication: send HTTP Basic"),
        new Case("GET", "/api/v1/tags", "bearer", null, null, 401, "Authorization: only the Basic scheme"),
        new Case("GET", "/api/v1/tags", "junk", null, null, 401, "Authorization: the Basic credentials are not valid Base64"),
        new Case("DELETE", "/api/v1/tags", "sam", null, null, 405, "method: DELETE is not allowed"),
        // tags: read and write
        new Case("GET", "/api/v1/tags/counter-1", "sam", null, null, 400, "tag: invalid tag path 'counter-1'"),
        new Case("GET", "/api/v1/tags/counter-1/nope", "sam", null, null, 404, "tag: counter-1/nope is not configured"),
        new Case("GET", "/api/v1/tags/nodevice/setpoint", "sam", null, null, 404, "tag: nodevice/setpoint is not configured"),
        new Case("GET", "/api/v1/tags/bad%20device/x", "sam", null, null, 400, "tag: invalid device id"),
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "olga", JSON, "{}", 400, "value: missing"),
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "olga", JSON, "{\"velue\": 5}", 400, "body: unknown member 'velue'"),
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "olga", JSON, "{\"value\": null}", 400, "value: expected a number"),
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "olga", JSON, "{\"value\": [1]}", 400, "value: expected a number"),
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "olga", JSON, "{\"value\": \"fast\"}", 400,
                "value: 'fast' is not a number for counter-1/setpoint"),
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "olga", JSON, "{\"value\": 2.5}", 400, "value: '2.5' is not a whole number"),
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "olga", JSON, "{\"value\": 5000}", 400, "invalid: "),
        new Case("POST", "/api/v1/tags/counter-1/nope", "olga", JSON, "{\"value\": 1}", 404, "tag: counter-1/nope is not configured"),
        new Case("POST", "/api/v1/tags/nodevice/setpoint", "olga", JSON, "{\"value\": 1}", 404, "tag: nodevice/setpoint is not configured"),
        // components
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": \"lots\"}", 400,
                "interval.ms: 'lots' is not a whole number (long)"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": 100}", 400,
                "interval.ms: '100': less than minimum"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": 2.5}", 400,
                "interval.ms: '2.5' is not a whole number"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": true}", 400,
                "interval.ms: 'true' is not a whole number"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"nope\": 1}", 400,
                "nope: unknown field of cellgate.valuelog (fields: interval.ms)"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": null}", 400,
                "interval.ms: expected a number, boolean or string (or an array of them), got null"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": {\"a\": 1}}", 400,
                "interval.ms: expected a number, boolean or string"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": [1000, 2000]}", 400,
                "interval.ms: exactly one value expected, got 2"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": 1000, \"interval.ms\": 2000}",
                400, "interval.ms: given twice"),
        new Case("POST", "/api/v1/components/no.such.pid", "sam", JSON, "{\"a\": 1}", 404, "pid: no configurable component no.such.pid"),
        new Case("GET", "/api/v1/components/no.such.pid", "sam", null, null, 404, "pid: no configurable component no.such.pid"),
        new Case("POST", "/api/v1/components/cellgate.opcua", "sam", JSON, "{\"port\": 1}", 409,
                "pid: cellgate.opcua is configured in cell.yaml, section opcua"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "otto", JSON, "{\"interval.ms\": 9000}", 403, "denied: "),
        // the shared JSON body checks (Api.jsonBody, Json) of the JSON POST endpoints
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "sam", "text/plain", "{}", 415, "Content-Type: expected application/json, got text/plain"),
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "sam", null, "{}", 415, "Content-Type: expected application/json"),
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "sam", JSON, "{\"value\": \"" + "x".repeat(5000) + "\"}", 413,
                "body: more than 4096 bytes"),
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "sam", JSON, "{\"value\": 1", 400, "body: not valid JSON"),
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "sam", JSON, "[1]", 400, "body: expected a JSON object"),
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "sam", JSON, "{\"value\": 1} {}", 400, "body: trailing content"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", "text/plain", "{}", 415,
                "Content-Type: expected application/json, got text/plain"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", null, "{}", 415, "Content-Type: expected application/json"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": \"" + "1".repeat(17000) + "\"}",
                413, "body: more than 16384 bytes"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": 1", 400, "body: not valid JSON"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "[1]", 400, "body: expected a JSON object"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": 1000} {}", 400, "body: trailing content"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": [[[[[1]]]]]}", 400,
                "interval.ms: expected a number, boolean or string"),
        new Case("POST", "/api/v1/tags/counter-1/setpoint", "sam", JSON, "{\"value\": " + "1".repeat(1000) + "}", 400,
                "body: refused: Number value length (1000) exceeds the maximum allowed (64)"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": " + "1".repeat(1000) + "}", 400,
                "body: refused: Number value length (1000) exceeds the maximum allowed (64)"),
        new Case("POST", "/api/v1/components/cellgate.valuelog", "sam", JSON, "{\"interval.ms\": \"" + "a".repeat(2000) + "\"}",
                400, "body: refused: String value length"),
        // audit
        new Case("GET", "/api/v1/audit?from=yesterday", "audrey", null, null, 400, "from: 'yesterday' is not a time"),
        new Case("GET", "/api/v1/audit?to=2026-13-40", "audrey", null, null, 400, "to: '2026-13-40' is not a time"),
        new Case("GET", "/api/v1/audit?from=2026-11-25T10:00:00Z&to=2026-11-25T09:00:00Z", "audrey", null, null, 400,
                "to: 2026-11-25T09:00:00Z is not after from"),
        new Case("GET", "/api/v1/audit?result=MAYBE", "audrey", null, null, 400, "result: 'MAYBE' is not SUCCESS, DENIED or FAILED"),
        new Case("GET", "/api/v1/audit?limit=0", "audrey", null, null, 400, "limit: 0 is not within 1..500"),
        new Case("GET", "/api/v1/audit?limit=many", "audrey", null, null, 400, "limit: 'many' is not a whole number"),
        new Case("GET", "/api/v1/audit?after=-5", "audrey", null, null, 400, "after: -5 is not within 0.."),
        new Case("GET", "/api/v1/audit?text=" + "x".repeat(300), "audrey", null, null, 400, "text: longer than 256 characters"),
        new Case("GET", "/api/v1/audit/export?format=xml", "audrey", null, null, 400, "format: 'xml' is not jsonl or csv"),
        new Case("GET", "/api/v1/audit/nothing", "audrey", null, null, 404, "path: no API resource /api/v1/audit/nothing"),
        new Case("GET", "/api/v1/audit", "otto", null, null, 403, "denied: "),
        new Case("GET", "/api/v1/audit/export", "erik", null, null, 403, "denied: "));

    @TempDir
    static Path dir;

    private ConsoleFixture f;

    @BeforeAll
    void start() throws Exception {
        f = ConsoleFixture.start(dir);
    }

    @AfterAll
    void stop() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void endpoint_badInput_isAClearJsonError(Case c) throws Exception {
        check(c);
    }

    /**
     * The cases every documented operation gets, from the running gateway's OpenAPI document. Every path parameter is
     * "x" (no such object), so that no request can change anything whatever the endpoint checks first; each answer
     * must be a 4xx JSON error in the form "what: why" ({@code status} -1: any 4xx). The exact answers of an endpoint
     * are rows of {@link #CASES}.
     */
    Stream<Case> generic() throws Exception {
        List<Case> cases = new ArrayList<>();
        List<ConsoleFixture.Operation> ops = f.operations();
        assertThat(ops).as("operations read from openapi.json").extracting(ConsoleFixture.Operation::template)
                .contains("/status", "/tags", "/tags/{device}/{tag}", "/components/{pid}", "/audit");
        for (String template : ops.stream().map(ConsoleFixture.Operation::template).distinct().toList()) {
            String path = new ConsoleFixture.Operation("GET", template).path(Map.of());
            List<String> methods = ops.stream().filter(o -> o.template().equals(template)).map(ConsoleFixture.Operation::method)
                    .toList();
            for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
                if (!methods.contains(method)) {
                    cases.add(new Case(method, path, "sam", method.equals("GET") ? null : JSON, method.equals("GET") ? null : "{}",
                            method.equals("POST") || method.equals("GET") ? -1 : 405, method.equals("POST") || method.equals("GET")
                                    ? "" : "method: " + method + " is not allowed"));
                } else if (!method.equals("GET")) {
                    for (String[] bad : BAD_BODIES) {
                        cases.add(new Case(method, path, "sam", bad[0], bad[1], -1, ""));
                    }
                }
            }
        }
        return cases.stream();
    }

    /** Content type and body of the bad requests every POST operation gets. */
    private static final List<String[]> BAD_BODIES = List.of(
            new String[] {"text/plain", "{}"},
            new String[] {null, "{}"},
            new String[] {JSON, "{\"x\": " + "1".repeat(OVERSIZED) + "}"},
            new String[] {JSON, "{\"value\": 1"},
            new String[] {JSON, "not json"},
            new String[] {JSON, "[1]"},
            new String[] {JSON, "{\"value\": 1} {}"},
            new String[] {JSON, "{\"value\": {\"deep\": {\"deeper\": {\"deepest\": {\"too\": [[[1]]]}}}}}"});

    @ParameterizedTest(name = "{0}")
    @MethodSource("generic")
    void everyDocumentedOperation_badRequest_isAClearJsonError(Case c) throws Exception {
        check(c);
    }

    private void check(Case c) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base + c.path())).timeout(Duration.ofSeconds(60));
        switch (c.who()) {
            case "none" -> { }
            case "bearer" -> b.header("Authorization", "Bearer abc");
            case "junk" -> b.header("Authorization", "Basic !!!");
            default -> b.header("Authorization", ConsoleFixture.basic(c.who(), password(c.who())));
        }
        if (c.type() != null) {
            b.header("Content-Type", c.type());
        }
        b.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(c.body()));
        HttpResponse<String> r = f.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (c.status() < 0) {
            assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
            assertThat(r.body()).as("an error naming what: why").containsPattern("^\\{\"error\":\"[^\"]+: [^\"]+");
        } else {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(c.status());
            assertThat(r.body()).startsWith("{\"error\":\"" + c.message());
        }
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(JSON));
        assertThat(r.body()).as("no stack trace or exception text").doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContain("at io.cellgate.");
        assertThat(r.headers().firstValue("WWW-Authenticate")).as("no challenge: browsers never cache the credentials").isEmpty();
    }

    private static String password(String who) {
        return switch (who) {
            case ConsoleFixture.SAM -> ConsoleFixture.SAM_PASSWORD;
            case ConsoleFixture.OLGA -> ConsoleFixture.OLGA_PASSWORD;
            case ConsoleFixture.OTTO -> ConsoleFixture.OTTO_PASSWORD;
            case ConsoleFixture.AUDREY -> ConsoleFixture.AUDREY_PASSWORD;
            case ConsoleFixture.ERIK -> ConsoleFixture.ERIK_PASSWORD;
            default -> throw new IllegalArgumentException("no fixture user " + who);
        };
    }
}
