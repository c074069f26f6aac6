package io.cellgate.sparkplug.itest;

import static org.assertj.core.api.Assumptions.assumeThat;

import io.cellgate.mqtt.testing.Mosquitto;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One real gateway (the packaged jar) with a pymodbus device and users of every role, its console over HTTPS, and
 * (optionally) a headless chromium: what the console's page and API tests of the Components and Audit pages, the
 * Observer test and the bad-input test share. The cell grants Engineers {@code configure} on {@code components}.
 */
final class ConsoleFixture implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final String TAG = "counter-1/setpoint";

    /** The users the fixture adds: name, roles, password. */
    static final String ERIK = "erik";
    static final String ERIK_PASSWORD = "engineer of the cell line";
    static final String OTTO = "otto";
    static final String OTTO_PASSWORD = "observer on the night shift";
    static final String AUDREY = "audrey";
    static final String AUDREY_PASSWORD = "auditor reads the trail";
    static final String OLGA = "olga";
    static final String OLGA_PASSWORD = "operator of press three";
    /** Every role: the policy lets her requests through, so that the input checks behind it are reached. */
    static final String SAM = "sam";
    static final String SAM_PASSWORD = "holds every role there is";

    final Path dir;
    final ConsoleTestGateway gateway;
    final CounterDevice device;
    final String base;
    final HttpClient http;
    final Path screenshots;
    WebDriver browser;

    private ConsoleFixture(Path dir, ConsoleTestGateway gateway, CounterDevice device, String base, HttpClient http,
            Path screenshots) {
        this.dir = dir;
        this.gateway = gateway;
        this.device = device;
        this.base = base;
        this.http = http;
        this.screenshots = screenshots;
    }

    /** Starts the device and the gateway, adds the users; skips (assumption) when the jar was not built. */
    static ConsoleFixture start(Path dir) throws Exception {
        Path jar = jar();
        Path unit = unit();
        Path screenshots = screenshotDir();
        int devicePort = Mosquitto.freePort();
        CounterDevice device = CounterDevice.start(devicePort, dir.resolve("device.log"));
        device.set(7);
        Path state = dir.resolve("state");
        ConsoleTestGateway gateway = new ConsoleTestGateway(jar, unit, writeCell(dir, devicePort), state, dir.resolve("gateway.log"));
        try {
            gateway.oneTimePassword(120);
            String base = gateway.awaitConsole(120);
            gateway.addUser(ERIK, "Engineer", ERIK_PASSWORD);
            gateway.addUser(OTTO, "Observer", OTTO_PASSWORD);
            gateway.addUser(AUDREY, "Auditor", AUDREY_PASSWORD);
            gateway.addUser(OLGA, "Operator,Observer", OLGA_PASSWORD);
            gateway.addUser(SAM, "Observer,Operator,Engineer,SecurityAdmin,Auditor", SAM_PASSWORD);
            HttpClient http = https(state);
            return new ConsoleFixture(dir, gateway, device, base, http, screenshots);
        } catch (Exception | AssertionError e) {
            gateway.close();
            device.close();
            throw e;
        }
    }

    /** Opens the headless chromium (skips when Debian's chromium or chromedriver is missing). */
    ConsoleFixture withBrowser(Path downloads) {
        browser = chromium(1000, downloads);
        return this;
    }

    @Override
    public void close() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        gateway.close();
        device.close();
    }

    /** One pymodbus device (register 0 is the writable tag setpoint); Engineers may configure components. */
    private static Path writeCell(Path root, int devicePort) throws Exception {
        Path cell = cellWithProfile(root);
        Files.writeString(cell.resolve("cell.yaml"), """
                cell:
                  id: console-components
                  name: Console components test cell
                profiles: [profiles]
                pollGroups:
                  fast: 200ms
                %s
                access:
                  - role: Observer
                    tags: ["*/*"]
                    allow: [browse, read, subscribe]
                  - role: Operator
                    tags: ["*/setpoint"]
                    allow: [write]
                  - id: engineers-configure-components
                    role: Engineer
                    sections: [components]
                    allow: [configure]
                """.formatted(counterAndOpcua(devicePort, Mosquitto.freePort())));
        return cell;
    }

    /**
     * root/cell with profiles/setpoint-device.yaml: one writable holding register {@code setpoint} (uint16, 0..1000,
     * rpm), the device the console tests' cells poll; the caller writes cell.yaml.
     */
    static Path cellWithProfile(Path root) throws java.io.IOException {
        Path cell = Files.createDirectories(root.resolve("cell"));
        Files.createDirectories(cell.resolve("profiles"));
        Files.writeString(cell.resolve("profiles/setpoint-device.yaml"), """
                profile:
                  id: setpoint-device
                  vendor: Test
                  model: pymodbus register
                tags:
                  - { name: setpoint, area: holding_register, address: 0, type: uint16, access: read_write, min: 0, max: 1000, unit: rpm }
                """);
        return cell;
    }

    /**
     * The cell.yaml sections {@code devices} (counter-1 on the pymodbus device at devicePort) and {@code opcua}
     * (loopback only, on opcuaPort), for a text block's {@code %s} at column 0.
     */
    static String counterAndOpcua(int devicePort, int opcuaPort) {
        return """
                devices:
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
                """.formatted(devicePort, opcuaPort).stripTrailing();
    }

    // ------------------------------------------------------------------ HTTP

    HttpResponse<String> get(String path, String user, String password) throws Exception {
        return get(http, base, path, user, password, Duration.ofSeconds(60));
    }

    HttpResponse<String> post(String path, String user, String password, String type, String body) throws Exception {
        return post(http, base, path, user, password, type, body, Duration.ofSeconds(60));
    }

    // ------------------------------------------------------------------ browser

    void submitLogin(String user, String password) {
        submitLogin(browser, base, user, password);
    }

    /** Logs in; retries while a per-source delay from an earlier failure refuses the attempt. */
    void login(String user, String password) throws InterruptedException {
        waitFor(() -> tryLogin(browser, base, user, password), "login of " + user);
    }

    void logout() {
        logout(browser);
    }

    String text(String id) {
        return text(browser, id);
    }

    void screenshot(String name) throws Exception {
        screenshot(browser, screenshots, name);
    }

    void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, what, 60, browser, gateway);
    }

    // ------------------------------------------------------------------ shared by every console test class
    // (the classes with a cell of their own keep their gateway in static fields and call these with it)

    /** The packaged jar (skips, as an assumption, when distrib was not built). */
    static Path jar() {
        Path jar = Path.of(System.getProperty("cellgate.jar", "../../distrib/target/cellgate.jar"));
        assumeThat(Files.isRegularFile(jar)).as("the jar " + jar + " was built (distrib)").isTrue();
        return jar;
    }

    static Path unit() {
        return Path.of(System.getProperty("cellgate.service", "../../distrib/src/deb/systemd/cellgate.service"));
    }

    /** docs/console/, where the screenshots of the user documentation are written. */
    static Path screenshotDir() throws java.io.IOException {
        return Files.createDirectories(Path.of(System.getProperty("cellgate.docs", "../../docs")).resolve("console"));
    }

    /** Skips (assumption) when Debian's chromium or chromedriver is missing. */
    static void assumeChromium() {
        assumeThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("Debian's chromium and chromium-driver are installed (.ci/run installs them)").isTrue();
    }

    /**
     * A headless chromium, 1280 pixels wide and {@code height} high (the screenshots' size); downloads go to
     * {@code downloads} when not null. Skips when chromium or chromedriver is missing.
     */
    static WebDriver chromium(int height, Path downloads) {
        assumeChromium();
        // Selenium Manager must never download a driver or browser: the Debian ones are named explicitly.
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280," + height,
                "--lang=en");
        if (downloads != null) {
            options.setExperimentalOption("prefs", Map.of("download.default_directory",
                    downloads.toAbsolutePath().toString(), "download.prompt_for_download", false));
        }
        // The gateway's certificate is self-signed: the browser accepts it, as an admin accepts it once.
        options.setAcceptInsecureCerts(true);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** An HTTP client that trusts exactly the gateway's own certificate (state/pki/own/gateway.der). */
    static HttpClient https(Path state) throws Exception {
        return HttpClient.newBuilder().sslContext(trusting(state.resolve("pki/own/gateway.der")))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    static SSLContext trusting(Path der) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(der)) {
            trust.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A request to the console with Basic authentication. */
    static HttpRequest.Builder request(String base, String path, String user, String password, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", basic(user, password))
                .timeout(timeout);
    }

    static HttpResponse<String> get(HttpClient http, String base, String path, String user, String password,
            Duration timeout) throws Exception {
        return http.send(request(base, path, user, password, timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(HttpClient http, String base, String path, String user, String password,
            String type, String body, Duration timeout) throws Exception {
        return http.send(request(base, path, user, password, timeout).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Submits the login form and waits until the gateway answered (an error shown, or away from /login). */
    static void submitLogin(WebDriver browser, String base, String user, String password) {
        browser.get(base + "/login");
        browser.findElement(By.id("username")).sendKeys(user);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("login")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElements(By.id("error")).isEmpty()
                || !d.getCurrentUrl().endsWith("/login"));
    }

    /** One login attempt: true when it got past /login (a per-source delay may refuse it: callers retry). */
    static boolean tryLogin(WebDriver browser, String base, String user, String password) {
        submitLogin(browser, base, user, password);
        return !browser.getCurrentUrl().endsWith("/login");
    }

    static void logout(WebDriver browser) {
        browser.findElement(By.id("logout")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.getCurrentUrl().contains("/login"));
    }

    static String text(WebDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }

    static void screenshot(WebDriver browser, Path screenshots, String name) throws Exception {
        Files.write(screenshots.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /**
     * Waits for a state (never a fixed time) up to {@code seconds}; fails with what was awaited, the page's text (when
     * there is a browser) and the gateway's log tail.
     */
    static void await(BooleanSupplier condition, String what, int seconds, WebDriver browser,
            ConsoleTestGateway gateway) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!holds(condition)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no " + what + " within " + seconds + " s; page "
                        + (browser == null ? "-" : browser.getCurrentUrl() + ":\n"
                                + browser.getPageSource().replaceAll("<[^>]+>", " ").replaceAll("\\s+", " "))
                        + "\ngateway log:\n" + gateway.logTail());
            }
            Thread.sleep(250);
        }
    }

    /** The condition; false while it throws (the page is being replaced, an element is stale). */
    private static boolean holds(BooleanSupplier condition) {
        try {
            return condition.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ what the console has

    /** A route of the console's routes table: its path and whether it has a GET and a POST handler. */
    record Route(String path, boolean get, boolean post) {
    }

    private static final Path SERVLET = Path.of(
            "../io.cellgate.console/src/main/java/io/cellgate/console/internal/ConsoleServlet.java");
    private static final Pattern ROUTE = Pattern.compile("new Route\\(\"([^\"]+)\",\\s*([^,]+?),\\s*([^)]+?)\\)");

    /**
     * Every route of the console's routes table, read from ConsoleServlet's source at test time, so that pages added
     * later are covered without editing the tests. (The jar is built from the same tree.)
     */
    static List<Route> routes() throws Exception {
        String source = Files.readString(SERVLET);
        Matcher m = ROUTE.matcher(source);
        List<Route> routes = new ArrayList<>();
        while (m.find()) {
            routes.add(new Route(m.group(1), !m.group(2).trim().equals("null"), !m.group(3).trim().equals("null")));
        }
        int declared = source.split("new Route\\(", -1).length - 1;
        if (routes.size() < 2 || routes.size() != declared) {
            // a route this pattern cannot read (a constant instead of a literal path) would go untested
            throw new AssertionError(SERVLET + " declares " + declared + " routes, " + routes.size()
                    + " were read: write each as new Route(\"/path\", get, post)");
        }
        return routes;
    }

    /** An API operation documented in openapi.json: method and path template (relative to /api/v1). */
    record Operation(String method, String template) {
        /** The path with every parameter replaced by a sample value. */
        String path(Map<String, String> samples) {
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(template);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(b, Matcher.quoteReplacement(samples.getOrDefault(m.group(1), "x")));
            }
            m.appendTail(b);
            return "/api/v1" + b;
        }
    }

    /** Every operation of the running gateway's OpenAPI document (paths and their get/post/put/delete keys). */
    List<Operation> operations() throws Exception {
        String doc = get("/api/v1/openapi.json", OTTO, OTTO_PASSWORD).body();
        int paths = doc.indexOf("\"paths\"");
        List<Operation> ops = new ArrayList<>();
        // The document is ours and regular: each path key opens an object whose keys include get/post.
        Matcher m = Pattern.compile("\"(/[^\"]*)\"\\s*:\\s*\\{").matcher(doc);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            if (m.start() > paths) {
                starts.add(new int[] {m.start()});
                names.add(m.group(1));
            }
        }
        for (int i = 0; i < names.size(); i++) {
            String block = doc.substring(starts.get(i)[0], i + 1 < names.size() ? starts.get(i + 1)[0] : doc.length());
            for (String method : List.of("get", "post", "put", "delete")) {
                if (Pattern.compile("\"" + method + "\"\\s*:\\s*\\{").matcher(block).find()) {
                    ops.add(new Operation(method.toUpperCase(java.util.Locale.ROOT), names.get(i)));
                }
            }
        }
        return ops;
    }

    static int countMatches(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
