package io.cellgate.sparkplug.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.cellgate.mqtt.testing.Mosquitto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.eclipse.milo.opcua.stack.core.util.validation.ValidationCheck;
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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console's Security page in a real headless browser against the real gateway jar: an OPC UA client with its own
 * self-signed certificate is refused (untrusted) and lands in the rejected list; a SecurityAdmin trusts it there and the
 * client then connects and reads a value. Users (a too-short password is refused naming the field), the CSR download,
 * the policy's what-if, an Observer refused on every security resource, and bad input for every endpoint of
 * {@code /api/v1/security}. Screenshots go to docs/console/security*.png.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleSecurityBrowserTest {

    private static final String CELL_ID = "security-test";
    private static final String CLIENT_URI = "urn:cellgate:test:security-page-client";
    private static final String ADMIN_PASSWORD = "green tractor in the barn";
    private static final String OLGA = "olga";
    private static final String OLGA_PASSWORD = "observer reads over opc ua";
    private static final String OTTO = "otto";
    private static final String OTTO_PASSWORD = "observer on the night shift";

    @TempDir
    static Path dir;

    private static CounterDevice device;
    private static ConsoleTestGateway gateway;
    private static String base;
    private static int opcuaPort;
    private static WebDriver browser;
    private static HttpClient http;
    private static Path screenshots;
    private static KeyPair clientKeys;
    private static X509Certificate clientCert;
    private static String clientThumbprint;

    @BeforeAll
    static void start() throws Exception {
        ConsoleFixture.assumeChromium();
        Path jar = ConsoleFixture.jar();
        Path unit = ConsoleFixture.unit();
        screenshots = ConsoleFixture.screenshotDir();
        Security.addProvider(new BouncyCastleProvider());

        int devicePort = Mosquitto.freePort();
        device = CounterDevice.start(devicePort, dir.resolve("device.log"));
        device.set(7);
        opcuaPort = Mosquitto.freePort();
        Path cell = writeCell(dir, devicePort, opcuaPort);
        Path state = dir.resolve("state");
        gateway = new ConsoleTestGateway(jar, unit, cell, state, dir.resolve("gateway.log"));
        String oneTime = gateway.oneTimePassword(120);
        base = gateway.awaitConsole(120);
        gateway.addUser(OLGA, "Observer", OLGA_PASSWORD);
        gateway.addUser(OTTO, "Observer", OTTO_PASSWORD);
        http = ConsoleFixture.https(state);

        // The OPC UA client's own application instance certificate, unknown to the gateway.
        clientKeys = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
        clientCert = new SelfSignedCertificateBuilder(clientKeys).setCommonName("line MES client")
                .setApplicationUri(CLIENT_URI).addIpAddress("127.0.0.1").addDnsName("localhost").build();
        clientThumbprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(clientCert.getEncoded()));

        browser = ConsoleFixture.chromium(1200, null);

        // First start: admin replaces the one-time password (ConsoleBrowserTest covers the details).
        login("admin", oneTime);
        browser.findElement(By.id("current")).sendKeys(oneTime);
        browser.findElement(By.id("new")).sendKeys(ADMIN_PASSWORD);
        browser.findElement(By.id("repeat")).sendKeys(ADMIN_PASSWORD);
        browser.findElement(By.id("save-password")).click();
        waitFor(() -> browser.getCurrentUrl().contains("password-changed"), "the dashboard after the password change");
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
    }

    private static Path writeCell(Path root, int devicePort, int opcua) throws Exception {
        Path cell = ConsoleFixture.cellWithProfile(root);
        Files.writeString(cell.resolve("cell.yaml"), """
                cell:
                  id: %s
                  name: Security page test cell
                profiles: [profiles]
                pollGroups:
                  fast: 200ms
                %s
                access:
                  - role: Observer
                    tags: ["*/*"]
                    allow: [browse, read, subscribe]
                """.formatted(CELL_ID, ConsoleFixture.counterAndOpcua(devicePort, opcua)));
        return cell;
    }

    // ---------------------------------------------------------------- the rejected OPC UA client

    @Test
    @Order(1)
    void rejectedOpcUaClient_trustedOnTheSecurityPage_thenConnectsAndReads() throws Exception {
        // Untrusted: the gateway refuses the secure channel and keeps the certificate in its rejected list.
        assertThat(connectAndRead()).startsWith("ERROR");
        waitFor(() -> apiGet("/api/v1/security/certificates/clients", "admin", ADMIN_PASSWORD).contains(clientThumbprint),
                "the client's certificate in the rejected list");

        browser.get(base + "/security");
        WebElement row = browser.findElement(By.cssSelector("#rejected tr[data-thumbprint='" + clientThumbprint + "']"));
        assertThat(row.getText()).contains("line MES client", CLIENT_URI);
        assertThat(text("cert-subject")).contains("CellGate");
        assertThat(text("cert-sha256")).hasSize(64);
        assertThat(text("cert-sans")).contains("URI:urn:cellgate:" + CELL_ID, "DNS:localhost", "IP:127.0.0.1");
        screenshot("security");
        scrollTo("clients");
        screenshot("security-rejected");

        row.findElement(By.cssSelector("button.trust")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent());
        assertThat(browser.switchTo().alert().getText()).startsWith("Trust ");
        browser.switchTo().alert().accept();
        waitFor(() -> !browser.findElements(By.id("message")).isEmpty(), "the answer to trust");
        assertThat(text("message")).startsWith("trusted: ").contains(clientThumbprint);
        assertThat(browser.findElements(By.cssSelector("#trusted tr[data-thumbprint='" + clientThumbprint + "']"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#rejected tr[data-thumbprint='" + clientThumbprint + "']"))).isEmpty();
        scrollTo("clients");
        screenshot("security-trusted");

        String read = connectAndRead();
        assertThat(read).as("the trusted client reads the device's value").isEqualTo("VALUE 7");
        waitFor(() -> ConsoleFixture.countMatches(gateway.auditTrail(), "\"identity\":\"admin\"[^\\n]*\"action\":\"certificate\\.trust\""
                + "[^\\n]*\"result\":\"SUCCESS\"") >= 1, "certificate.trust by admin in the audit trail");
    }

    /** Connects with SignAndEncrypt as olga and reads the setpoint: {@code VALUE v} or {@code ERROR ...}. */
    private static String connectAndRead() {
        OpcUaClient client = null;
        try {
            EndpointDescription endpoint = DiscoveryClient.getEndpoints("opc.tcp://127.0.0.1:" + opcuaPort
                    + "/cellgate/discovery").get().stream()
                    .filter(e -> e.getSecurityPolicyUri().equals(SecurityPolicy.Basic256Sha256.getUri())
                            && e.getSecurityMode() == MessageSecurityMode.SignAndEncrypt)
                    .findFirst().orElseThrow();
            endpoint = EndpointUtil.updateUrl(endpoint, "127.0.0.1", opcuaPort);
            MemoryTrustListManager trust = new MemoryTrustListManager();
            trust.addTrustedCertificate(CertificateUtil.decodeCertificate(endpoint.getServerCertificate().bytesOrEmpty()));
            client = OpcUaClient.create(OpcUaClientConfig.builder()
                    .setApplicationName(LocalizedText.english("line MES client (security page test)"))
                    .setApplicationUri(CLIENT_URI)
                    .setEndpoint(endpoint)
                    .setKeyPair(clientKeys)
                    .setCertificate(clientCert)
                    .setCertificateChain(new X509Certificate[] {clientCert})
                    .setCertificateValidator(new DefaultClientCertificateValidator(trust,
                            ValidationCheck.ALL_OPTIONAL_CHECKS, new MemoryCertificateQuarantine()))
                    .setIdentityProvider(new UsernameProvider(OLGA, OLGA_PASSWORD))
                    .setRequestTimeout(org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint(15000))
                    .build());
            client.connect();
            NodeId node = new NodeId(client.readNamespaceTable().getIndex("urn:cellgate:cell"),
                    CELL_ID + "/counter-1/setpoint");
            DataValue v = client.readValue(0, TimestampsToReturn.Both, node);
            return "VALUE " + v.getValue().value();
        } catch (Exception e) {
            return "ERROR " + e;
        } finally {
            if (client != null) {
                try {
                    client.disconnect();
                } catch (Exception e) {
                    // the test's answer is already made
                }
            }
        }
    }

    // ---------------------------------------------------------------- users

    @Test
    @Order(2)
    void createUser_tooShortPassword_fieldErrorNothingCreated_thenCreatedWithOneTimePassword() throws Exception {
        browser.get(base + "/security/users");
        fillNewUser("paula", "short pw");
        waitFor(() -> !browser.findElements(By.id("error")).isEmpty(), "the answer to the short password");
        assertThat(browser.findElement(By.id("error")).getAttribute("data-field")).isEqualTo("password");
        assertThat(text("error-password")).contains("the password has 8 characters; it needs at least 12");
        assertThat(browser.findElement(By.id("new-password")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElements(By.cssSelector("#users tr[data-user='paula']"))).as("nothing created").isEmpty();
        screenshot("security-users-error");

        fillNewUser("paula", "paula runs the packaging line");
        waitFor(() -> !browser.findElements(By.id("message")).isEmpty(), "the answer to the good password");
        assertThat(text("message")).contains("created user paula", "one-time password");
        assertThat(browser.findElement(By.cssSelector("#users tr[data-user='paula'] td.state")).getText())
                .contains("one-time password");
        screenshot("security-users");
        waitFor(() -> ConsoleFixture.countMatches(gateway.auditTrail(), "\"action\":\"user\\.create\"[^\\n]*\"resource\":\"user:paula\"") >= 1,
                "user.create of paula in the audit trail");
    }

    private static void fillNewUser(String name, String password) {
        browser.findElement(By.id("new-name")).clear();
        browser.findElement(By.id("new-name")).sendKeys(name);
        WebElement observer = browser.findElement(By.id("new-role-Observer"));
        if (!observer.isSelected()) {
            observer.click();
        }
        browser.findElement(By.id("new-password")).sendKeys(password);
        browser.findElement(By.id("new-repeat")).sendKeys(password);
        browser.findElement(By.id("create-user-submit")).click();
    }

    // ---------------------------------------------------------------- CSR, policy

    @Test
    @Order(3)
    void csr_downloadedFromThePage_isAPkcs10RequestAndAudited() throws Exception {
        browser.get(base + "/security");
        String csrf = browser.findElement(By.cssSelector("#csr-form input[name=csrf]")).getAttribute("value");
        Object pem = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('/security/csr', {method: 'POST', body: new URLSearchParams({csrf: arguments[0]})})
                  .then(r => r.text().then(t => done(r.status + ' ' + r.headers.get('Content-Disposition') + '\\n' + t)),
                        e => done(String(e)));
                """, csrf);
        assertThat((String) pem).startsWith("200 attachment; filename=\"cellgate-gateway.csr.pem\"\n"
                + "-----BEGIN CERTIFICATE REQUEST-----");
        HttpResponse<String> api = send("GET", "/api/v1/security/certificates/gateway/csr", "admin", ADMIN_PASSWORD, null, null);
        assertThat(api.statusCode()).isEqualTo(200);
        assertThat(api.body()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");
        waitFor(() -> ConsoleFixture.countMatches(gateway.auditTrail(), "\"action\":\"certificate\\.csr\"") >= 2, "two certificate.csr records");
    }

    @Test
    @Order(4)
    void policy_rulesHistoryAndWhatIf_nameTheDecidingRule() throws Exception {
        browser.get(base + "/security/policy");
        assertThat(browser.findElements(By.cssSelector("#rules tr[data-rule]"))).isNotEmpty();
        assertThat(browser.findElement(By.id("rules")).getText()).contains("default.security-admin", "manage_users");
        browser.findElement(By.id("preview-identity")).sendKeys(OLGA);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("preview-action"))).selectByVisibleText("read");
        browser.findElement(By.id("preview-resource")).sendKeys("counter-1/setpoint");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("preview-channel"))).selectByVisibleText("opcua");
        browser.findElement(By.id("preview-submit")).click();
        waitFor(() -> !browser.findElements(By.id("decision")).isEmpty(), "the what-if answer");
        assertThat(text("decision")).startsWith("Allowed by rule").contains("Observer|browse,read,subscribe|*/*");
        screenshot("security-policy");

        browser.findElement(By.id("preview-identity")).clear();
        browser.findElement(By.id("preview-identity")).sendKeys(OLGA);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("preview-action"))).selectByVisibleText("write");
        browser.findElement(By.id("preview-submit")).click();
        waitFor(() -> text("decision").startsWith("Denied"), "the denied what-if");
        assertThat(text("decision")).contains("no rule matched");
    }

    @Test
    @Order(5)
    void accessSection_invalidEdit_errorsWithLineAndColumn_validEdit_appliedAsANewVersion() throws Exception {
        browser.get(base + "/security/policy");
        assumeThat(browser.findElements(By.id("access"))).as("the configuration editor runs").isNotEmpty();
        String version = text("policy-version");
        WebElement area = browser.findElement(By.id("access"));
        String original = area.getAttribute("value");
        assertThat(original).startsWith("access:");
        setAccessText(original + "  - role: Nobody\n    tags: [\"*/*\"]\n    allow: [read]\n");
        waitFor(() -> !browser.findElements(By.id("error")).isEmpty(), "the answer to the invalid access section");
        assertThat(browser.findElement(By.id("access-errors")).getText()).containsPattern("cell\\.yaml:\\d+:\\d+");
        screenshot("security-policy-error");

        setAccessText(original + "  - role: Operator\n    tags: [\"counter-1/setpoint\"]\n    allow: [write]\n");
        waitFor(() -> !browser.findElements(By.id("message")).isEmpty() || !browser.findElements(By.id("error")).isEmpty(),
                "the answer to the valid access section");
        assertThat(browser.findElements(By.id("error"))).as("no error").isEmpty();
        waitFor(() -> {
            browser.get(base + "/security/policy");
            return !text("policy-version").equals(version);
        }, "a new policy version");
        assertThat(browser.findElement(By.id("rules")).getText()).contains("Operator|write|counter-1/setpoint");
    }

    private static void setAccessText(String text) {
        WebElement area = browser.findElement(By.id("access"));
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", area, text);
        browser.findElement(By.id("access-save")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent());
        browser.switchTo().alert().accept();
    }

    // ---------------------------------------------------------------- who may

    @Test
    @Order(6)
    void observer_getsNoSecurityPage_and403OnTheApi() throws Exception {
        browser.findElement(By.id("logout")).click();
        login(OTTO, OTTO_PASSWORD);
        browser.get(base + "/security/users");
        assertThat(text("error-title")).isEqualTo("Not allowed");
        assertThat(browser.findElements(By.id("users"))).isEmpty();
        screenshot("security-observer");
        waitFor(() -> ConsoleFixture.countMatches(gateway.auditTrail(), "\"identity\":\"otto\"[^\\n]*\"action\":\"console\\.user\\.view\""
                + "[^\\n]*\"result\":\"DENIED\"") >= 1, "otto's denied view in the audit trail");
    }

    @ParameterizedTest(name = "otto {0} {1} -> 403")
    @Order(7)
    @CsvSource(delimiter = '|', value = {
        "GET  | /api/v1/security/certificates/gateway",
        "GET  | /api/v1/security/certificates/gateway/csr",
        "POST | /api/v1/security/certificates/gateway",
        "GET  | /api/v1/security/certificates/clients",
        "POST | /api/v1/security/certificates/clients/0123456789abcdef0123456789abcdef01234567/trust",
        "GET  | /api/v1/security/users",
        "POST | /api/v1/security/users",
        "POST | /api/v1/security/users/olga/roles",
        "POST | /api/v1/security/users/olga/reset-password",
        "POST | /api/v1/security/users/olga/disable",
        "GET  | /api/v1/security/policy",
        "POST | /api/v1/security/policy/preview",
        "GET  | /api/v1/security/policy/access",
        "POST | /api/v1/security/policy/access",
    })
    void api_observer_refusedEverywhere(String method, String path) throws Exception {
        HttpResponse<String> r = send(method, path, OTTO, OTTO_PASSWORD, "application/json", "{}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.body()).startsWith("{\"error\":\"denied: ");
    }

    // ---------------------------------------------------------------- API: bad input

    @ParameterizedTest(name = "{0} {1} {3} -> {4}")
    @Order(8)
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "GET  | /api/v1/security/nothing                       |                  |                                                   | 404 | path: no API resource",
        "GET  | /api/v1/security/certificates/own              |                  |                                                   | 404 | path: no API resource",
        "POST | /api/v1/security/certificates/gateway          | text/plain       | x                                                 | 415 | Content-Type: expected application/json",
        "POST | /api/v1/security/certificates/gateway          | application/json | `{}`                                              | 400 | certificate: missing",
        "POST | /api/v1/security/certificates/gateway          | application/json | `{\"pim\": \"x\"}`                                | 400 | body: unknown member 'pim'",
        "POST | /api/v1/security/certificates/gateway          | application/json | `{\"pem\": \"hello\"}`                            | 400 | certificate: no PEM certificate in it",
        "POST | /api/v1/security/certificates/gateway          | application/json | `{\"pem\": 5`                                     | 400 | body: not valid JSON",
        "POST | /api/v1/security/certificates/gateway/csr      | application/json | `{}`                                              | 405 | method: POST is not allowed here; use GET",
        "POST | /api/v1/security/certificates/clients          | application/json | `{}`                                              | 405 | method: POST is not allowed here; use GET",
        "POST | /api/v1/security/certificates/clients/xyz/trust | application/json | `{}`                                             | 400 | thumbprint: 'xyz' is not a SHA-1 thumbprint",
        "POST | /api/v1/security/certificates/clients/0123456789abcdef0123456789abcdef01234567/trust  | application/json | `{}` | 404 | thumbprint: ",
        "POST | /api/v1/security/certificates/clients/0123456789abcdef0123456789abcdef01234567/remove | application/json | `{}` | 404 | thumbprint: no certificate",
        "POST | /api/v1/security/certificates/clients/0123456789abcdef0123456789abcdef01234567/burn   | application/json | `{}` | 400 | operation: 'burn' is not one of trust, reject, remove",
        "GET  | /api/v1/security/certificates/clients/0123456789abcdef0123456789abcdef01234567/trust  |                  |      | 405 | method: GET is not allowed here; use POST",
        "POST | /api/v1/security/users                         | application/json | `{}`                                              | 400 | name: missing",
        "POST | /api/v1/security/users                         | application/json | `{\"name\": \"bad name\", \"roles\": []}`          | 400 | name: 'bad name' is not a valid user name",
        "POST | /api/v1/security/users                         | application/json | `{\"name\": \"x1\"}`                              | 400 | roles: missing",
        "POST | /api/v1/security/users                         | application/json | `{\"name\": \"x1\", \"roles\": \"Observer\"}`     | 400 | roles: expected a list of role names",
        "POST | /api/v1/security/users                         | application/json | `{\"name\": \"x1\", \"roles\": [\"Root\"]}`       | 400 | roles: unknown role 'Root'",
        "POST | /api/v1/security/users                         | application/json | `{\"name\": \"x1\", \"roles\": [\"Observer\"]}`   | 400 | password: missing",
        "POST | /api/v1/security/users                         | application/json | `{\"name\": \"x1\", \"roles\": [], \"password\": \"short\"}` | 400 | password: the password has 5 characters",
        "POST | /api/v1/security/users                         | application/json | `{\"name\": \"longusername\", \"roles\": [], \"password\": \"LongUserName\"}` | 400 | password: the password must not be the user name",
        "POST | /api/v1/security/users                         | application/json | `{\"name\": \"x1\", \"roles\": [], \"oneTime\": \"yes\"}` | 400 | oneTime: expected true or false",
        "POST | /api/v1/security/users                         | application/json | `{\"name\": \"x1\", \"roles\": [], \"application\": true, \"password\": \"a long password here\"}` | 400 | password: an application has no password",
        "POST | /api/v1/security/users                         | application/json | `{\"name\": \"admin\", \"roles\": [], \"password\": \"another long password\"}` | 400 | name: user 'admin' exists already",
        "POST | /api/v1/security/users/admin/roles             | application/json | `{\"roles\": [\"Observer\"]}`                     | 409 | roles: you cannot take SecurityAdmin from yourself",
        "POST | /api/v1/security/users/admin/roles             | application/json | `{}`                                              | 400 | roles: missing",
        "POST | /api/v1/security/users/nobody/roles            | application/json | `{\"roles\": []}`                                 | 404 | name: there is no user 'nobody'",
        "POST | /api/v1/security/users/admin/disable           | application/json | `{}`                                              | 409 | name: you cannot disable yourself",
        "POST | /api/v1/security/users/admin/remove            | application/json | `{}`                                              | 409 | name: you cannot remove yourself",
        "POST | /api/v1/security/users/otto/explode            | application/json | `{}`                                              | 400 | operation: 'explode' is not one of",
        "POST | /api/v1/security/users/bad%20name/unlock       | application/json | `{}`                                              | 400 | name: 'bad name' is not a valid user name",
        "POST | /api/v1/security/users/nobody/reset-password   | application/json | `{}`                                              | 404 | name: there is no user 'nobody'",
        "GET  | /api/v1/security/users/otto/disable            |                  |                                                   | 405 | method: GET is not allowed here; use POST",
        "POST | /api/v1/security/policy                        | application/json | `{}`                                              | 405 | method: POST is not allowed here; use GET",
        "GET  | /api/v1/security/policy/preview                |                  |                                                   | 405 | method: GET is not allowed here; use POST",
        "POST | /api/v1/security/policy/preview                | application/json | `{}`                                              | 400 | identity: missing",
        "POST | /api/v1/security/policy/preview                | application/json | `{\"identity\": \"nobody\"}`                      | 400 | identity: there is no user or application 'nobody'",
        "POST | /api/v1/security/policy/preview                | application/json | `{\"identity\": \"otto\", \"action\": \"fly\"}`   | 400 | action: 'fly' is not an action",
        "POST | /api/v1/security/policy/preview                | application/json | `{\"identity\": \"otto\", \"action\": \"read\"}`  | 400 | resource: missing",
        "POST | /api/v1/security/policy/preview                | application/json | `{\"identity\": \"otto\", \"action\": \"read\", \"resource\": \"counter-1\"}` | 400 | resource: 'counter-1' is not a tag path",
        "POST | /api/v1/security/policy/preview                | application/json | `{\"identity\": \"otto\", \"action\": \"read\", \"resource\": \"counter-1/setpoint\", \"channel\": \"ftp\"}` | 400 | channel: 'ftp' is not one of",
        "POST | /api/v1/security/policy/access                 | application/json | `{}`                                              | 400 | access: missing",
        "POST | /api/v1/security/policy/access                 | application/json | `{\"text\": \"opcua:\\n  port: 1\\n\"}`           | 400 | access: line 1: the text must start with 'access:'",
        "POST | /api/v1/security/policy/access                 | application/json | `{\"text\": \"access: []\\nopcua: {}\\n\"}`       | 400 | access: line 2: 'opcua: {}' starts another section",
        "POST | /api/v1/security/policy/access                 | application/json | `{\"text\": \"access: []\", \"hash\": \"xyz\"}`   | 400 | hash: not a SHA-256",
        "POST | /api/v1/security/policy/access                 | application/json | `{\"text\": \"access: []\", \"hash\": \"0000000000000000000000000000000000000000000000000000000000000000\"}` | 409 | hash: ",
        "POST | /api/v1/security/policy/access                 | application/json | `{\"text\": \"access:\\n  - role: Nobody\\n    tags: [\\\"*/*\\\"]\\n    allow: [read]\\n\"}` | 400 | access: ",
    })
    void api_badInput_isRefusedNamingTheField(String method, String path, String type, String body, int expected,
            String message) throws Exception {
        HttpResponse<String> r = send(method, path, "admin", ADMIN_PASSWORD, type, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(r.body()).startsWith("{\"error\":\"" + message);
    }

    @Test
    @Order(9)
    void api_views_forScripts() throws Exception {
        assertThat(apiGet("/api/v1/security/certificates/gateway", "admin", ADMIN_PASSWORD))
                .contains("\"subject\":", "\"sha256\":", "\"daysLeft\":", "\"applicationUri\":\"urn:cellgate:" + CELL_ID + "\"");
        assertThat(apiGet("/api/v1/security/users", "admin", ADMIN_PASSWORD))
                .contains("{\"name\":\"otto\",\"kind\":\"user\",\"roles\":[\"Observer\"],\"enabled\":true");
        assertThat(apiGet("/api/v1/security/policy", "admin", ADMIN_PASSWORD))
                .contains("\"rules\":[", "\"id\":\"default.security-admin\"", "\"history\":[");
        HttpResponse<String> preview = send("POST", "/api/v1/security/policy/preview", "admin", ADMIN_PASSWORD,
                "application/json", "{\"identity\": \"otto\", \"action\": \"read\", \"resource\": \"counter-1/setpoint\"}");
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).startsWith("{\"allowed\":true,\"rule\":\"Observer|browse,read,subscribe|*/*\"");
        HttpResponse<String> reset = send("POST", "/api/v1/security/users/olga/reset-password", "admin", ADMIN_PASSWORD,
                "application/json", "{}");
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(reset.body()).containsPattern("\"oneTimePassword\":\"[A-Za-z0-9-]{29}\"");
    }

    // ---------------------------------------------------------------- helpers

    private static void login(String user, String password) throws InterruptedException {
        waitFor(() -> ConsoleFixture.tryLogin(browser, base, user, password), "login of " + user);
    }

    /** The element's text; "" while the page is being replaced (the element is gone or stale). */
    private static String text(String id) {
        try {
            return ConsoleFixture.text(browser, id);
        } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
            return "";
        }
    }

    private static void scrollTo(String id) {
        ((JavascriptExecutor) browser).executeScript("document.getElementById(arguments[0]).scrollIntoView()", id);
    }

    private static void screenshot(String name) throws Exception {
        ConsoleFixture.screenshot(browser, screenshots, name);
    }

    private static String apiGet(String path, String user, String password) {
        try {
            return send("GET", path, user, password, null, null).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static HttpResponse<String> send(String method, String path, String user, String password, String type,
            String body) throws Exception {
        HttpRequest.Builder b = ConsoleFixture.request(base, path, user, password, Duration.ofSeconds(60));
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        ConsoleFixture.await(condition, what, 90, browser, gateway);
    }
}
