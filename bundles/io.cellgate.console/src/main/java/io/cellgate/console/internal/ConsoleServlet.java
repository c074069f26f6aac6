package io.cellgate.console.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.audit.AuditSink;
import io.cellgate.api.bus.TagBus;
import io.cellgate.api.health.GatewayHealth;
import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.write.WriteService;
import io.cellgate.identity.AuthResult;
import io.cellgate.identity.Authenticator;
import io.cellgate.identity.Identity;
import io.cellgate.identity.PasswordRejectedException;
import io.cellgate.pki.GatewayPki;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console: one servlet for every path, so that no request reaches anything without the security headers, the
 * transport check and the session check. Pages are rendered on the server ({@link Pages}); the REST API is
 * {@link Api}. Unsafe requests (POST; PUT and DELETE, which only the REST API takes) must come from the console's own
 * origin and carry the session's CSRF token.
 */
@Component(service = Servlet.class, configurationPid = ConsoleKeys.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ConsoleConfig.class)
@HttpWhiteboardServletName("cellgate-console")
@HttpWhiteboardServletPattern("/*")
public final class ConsoleServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServlet.class);

    /** Strict CSP: only the console's own files; no inline script or style, no framing, forms post only to us. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    /** What {@link SessionStore#token()} produces: 32 bytes, base64url without padding. */
    static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");
    static final Map<String, String> STATIC = Map.of("console.css", "text/css; charset=utf-8", "console.js",
            "text/javascript; charset=utf-8");

    private final transient Authenticator authenticator;
    private final transient SessionStore sessions;
    private final transient Guard guard;
    private final transient Pages pages;
    private final transient Api api;
    private final transient Map<String, Route> routes;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient AccessPolicy policy;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient GatewayPki pki;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient GatewayHealth health;
    // Components and Audit pages: optional, the pages say when one is not running.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient org.osgi.service.metatype.MetaTypeService metatype;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient org.osgi.service.cm.ConfigurationAdmin configAdmin;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient io.cellgate.api.audit.AuditQuery auditQuery;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(" + io.cellgate.api.cli.CliCommand.NAME + "=audit)")
    private volatile transient io.cellgate.api.cli.CliCommand auditCommand;

    // Security page: users, the policy's rules and history, the access section through the configuration editor.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient io.cellgate.identity.UserAdmin userAdmin;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient io.cellgate.api.policy.PolicyAdmin policyAdmin;
    // One reference to the configuration editor for every page that changes cell.yaml (Security, Devices, Snapshots).
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient io.cellgate.config.ConfigEditor configEditor;

    // Health and firewall pages: the boundary bundle's drift check (optional).
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient io.cellgate.api.health.FirewallStatus firewallStatus;

    // Devices and tags page: cell.yaml through the configuration editor, the loaded profiles, the core's test read.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient io.cellgate.api.config.ProfileRegistry profileRegistry;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile transient io.cellgate.api.read.TagReader tagReader;

    @Activate
    public ConsoleServlet(@Reference Authenticator authenticator, @Reference TagBus bus, @Reference WriteService writes,
            @Reference AuditSink audit, ConsoleConfig config) {
        this.authenticator = authenticator;
        this.sessions = new SessionStore(Clock.systemUTC(), new SecureRandom(), Duration.ofMinutes(config.session_idle_minutes()),
                Duration.ofHours(config.session_max_hours()), config.max_sessions());
        this.guard = new Guard(() -> policy, audit, Clock.systemUTC());
        Status status = new Status(bus, () -> pki, () -> health, guard);
        TagWrites tagWrites = new TagWrites(status, writes);
        this.pages = new Pages(status, tagWrites, guard);
        ComponentChanges componentChanges = new ComponentChanges(new Components(() -> metatype, () -> configAdmin), guard);
        ComponentsPage components = new ComponentsPage(componentChanges);
        AuditTrailAccess auditTrail = new AuditTrailAccess(() -> auditQuery, () -> auditCommand, () -> configAdmin, guard);
        AuditTrailPage auditPage = new AuditTrailPage(auditTrail);
        Devices deviceModel = new Devices(() -> configEditor, () -> profileRegistry, () -> tagReader, status, guard);
        DevicesPage devicesPage = new DevicesPage(deviceModel);
        SecurityActions securityActions = new SecurityActions(() -> pki, () -> userAdmin, () -> policy, () -> policyAdmin,
                () -> configEditor, guard, Clock.systemUTC());
        SecurityPage security = new SecurityPage(securityActions);
        SnapshotsPage snapshots = new SnapshotsPage(() -> configEditor, guard);
        this.api = new Api(authenticator, status, tagWrites, guard, new SecurityApi(securityActions)::handle,
                snapshots::handle,
                new DevicesApi(deviceModel),
                new ComponentsApi(componentChanges),
                new AuditApi(auditTrail, auditPage));
        this.routes = routes(
                new Route("/", pages::dashboard, null),
                new Route("/tags/write", null, pages::write),
                new Route("/security", security::certificates, null),
                new Route("/security/csr", null, security::csr),
                new Route("/security/certificate", null, security::install),
                new Route("/security/clients", null, security::client),
                new Route("/security/users", security::users, null),
                new Route("/security/users/create", null, security::createUser),
                new Route("/security/users/roles", null, security::setRoles),
                new Route("/security/users/state", null, security::userState),
                new Route("/security/policy", security::policy, null),
                new Route("/security/policy/access", null, security::changeAccess),
                new Route("/devices", devicesPage::list, null),
                new Route("/devices/device", devicesPage::device, null),
                new Route("/devices/export", devicesPage::export, null),
                new Route("/devices/add", null, devicesPage::add),
                new Route("/devices/update", null, devicesPage::update),
                new Route("/devices/enabled", null, devicesPage::enabled),
                new Route("/devices/remove", null, devicesPage::remove),
                new Route("/devices/tag", null, devicesPage::tag),
                new Route("/devices/import", null, devicesPage::importCsv),
                new Route("/devices/read", null, devicesPage::read),
                new Route("/components", components::get, components::post),
                new Route("/audit", auditPage::get, null),
                new Route("/audit/verify", auditPage::verify, null),
                new Route("/audit/export", auditPage::export, null),
                new Route("/health", new HealthPage(() -> health, guard)::get, null),
                new Route("/security/firewall", new FirewallPage(() -> firewallStatus, guard)::get, null),
                new Route("/snapshots", snapshots::list, null),
                new Route("/snapshots/view", snapshots::view, null),
                new Route("/snapshots/diff", snapshots::diff, null),
                new Route("/snapshots/download", snapshots::download, null),
                new Route("/snapshots/upload", null, snapshots::upload),
                new Route("/snapshots/rollback", null, snapshots::rollback));
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        securityHeaders(resp);
        if (!req.isSecure()) {
            // No plain HTTP connector is configured; if one ever is, nothing is served over it.
            resp.sendError(HttpServletResponse.SC_FORBIDDEN, "HTTPS only");
            return;
        }
        String path = Optional.ofNullable(req.getPathInfo()).orElse("/");
        String method = req.getMethod();
        // PUT and DELETE only for the REST API (which checks them per resource); the pages stay GET and POST.
        boolean apiVerb = path.startsWith("/api/") && (method.equals("PUT") || method.equals("DELETE"));
        if (!method.equals("GET") && !method.equals("POST") && !method.equals("HEAD") && !apiVerb) {
            if (path.startsWith("/api/")) {
                // scripts get the API's JSON error, not the container's HTML page
                String allow = ApiMethods.documented().allowHeader(path);
                resp.setHeader("Allow", allow);
                new Request(req, resp, null, source(req)).json(HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                        Json.error("method: " + Values.clip(method) + " is not allowed here; use " + allow));
            } else {
                resp.setHeader("Allow", "GET, POST");
                resp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            }
            return;
        }
        if (path.equals("/favicon.ico")) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        if (path.startsWith("/static/")) {
            serveStatic(path.substring("/static/".length()), resp);
            return;
        }
        Optional<Session> session = sessions.use(cookie(req, ConsoleKeys.SESSION_COOKIE));
        Request r = new Request(req, resp, session.orElse(null), source(req));
        if (ApiMethods.changes(method) && !sameOrigin(r)) {
            return;
        }
        if (path.startsWith("/api/")) {
            api.handle(r, path);
            return;
        }
        switch (path) {
            case "/login" -> {
                if (method.equals("POST")) {
                    login(r);
                } else {
                    loginForm(r, null, HttpServletResponse.SC_OK);
                }
            }
            case "/logout" -> {
                if (method.equals("POST") && checkCsrf(r)) {
                    logout(r);
                } else if (!method.equals("POST")) {
                    resp.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
                }
            }
            case "/password" -> {
                if (r.session() == null) {
                    resp.sendRedirect("/login");
                } else if (method.equals("POST")) {
                    if (checkCsrf(r)) {
                        Menu.during(menu(r), this::changePassword, r);
                    }
                } else {
                    Menu.during(menu(r), x -> pages.passwordForm(x, null, HttpServletResponse.SC_OK), r);
                }
            }
            default -> page(r, path);
        }
    }

    /** The pages that need a session with a set password: GET renders, POST (with the CSRF token) changes. */
    private void page(Request r, String path) throws IOException {
        if (r.session() == null) {
            r.resp().sendRedirect("/login");
            return;
        }
        if (r.session().mustChangePassword()) {
            r.resp().sendRedirect("/password");
            return;
        }
        Route route = routes.get(path);
        if (route == null) {
            r.resp().sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        Handler handler = r.req().getMethod().equals("POST") ? route.post() : route.get();
        if (handler == null) {
            r.resp().setHeader("Allow", route.get() == null ? "POST" : route.post() == null ? "GET" : "GET, POST");
            r.resp().sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
        } else if (!r.req().getMethod().equals("POST") || checkCsrf(r)) {
            Menu.during(menu(r), handler, r);
        }
    }

    /** The menu of a logged-in request: none while a one-time password must be replaced (nothing else works then). */
    private java.util.List<Map.Entry<String, String>> menu(Request r) {
        return r.session().mustChangePassword() ? java.util.List.of()
                : Menu.visible(guard, r.session().identity(), r.source());
    }

    /** Renders or changes something for one request. */
    interface Handler {
        void handle(Request r) throws IOException;
    }

    /**
     * A path behind the login. A new page adds its route here (and, if it has a menu entry, a line to
     * {@link Html#NAV}); the session, password-change, CSRF and method checks come with it.
     *
     * @param get  renders the page, or null (POST only)
     * @param post changes something (called only with a valid CSRF token), or null (read only)
     */
    record Route(String path, Handler get, Handler post) {
    }

    private static Map<String, Route> routes(Route... routes) {
        Map<String, Route> m = new java.util.LinkedHashMap<>();
        for (Route r : routes) {
            m.put(r.path(), r);
        }
        return Map.copyOf(m);
    }

    private void loginForm(Request r, String error, int status) throws IOException {
        // Login CSRF: the form echoes a random value also set as a cookie that only this origin can set (__Host-).
        // The browser's token is kept while it looks like one of ours: a second GET (another tab, or a redirect of a
        // stray request such as /favicon.ico) must not invalidate a login form that is already open.
        String token = cookie(r.req(), ConsoleKeys.LOGIN_COOKIE);
        if (token == null || !TOKEN.matcher(token).matches()) {
            token = sessions.token();
            r.resp().addHeader("Set-Cookie", cookieHeader(ConsoleKeys.LOGIN_COOKIE, token, "/", -1));
        }
        pages.loginForm(r, token, error, status);
    }

    private void login(Request r) throws IOException {
        String expected = cookie(r.req(), ConsoleKeys.LOGIN_COOKIE);
        if (!SessionStore.sameToken(expected, r.req().getParameter("login_token"))) {
            guard.record(guard.event("anonymous", r.source(), "console.login", null, AuditEvent.Result.DENIED,
                    "login form token missing or wrong (cross-site or stale form)"));
            loginForm(r, "The login form expired; please try again.", HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        String user = Optional.ofNullable(r.req().getParameter("username")).orElse("").trim();
        String pw = r.req().getParameter("password");
        if (user.isEmpty() || user.length() > 64 || pw == null || pw.isEmpty() || pw.length() > 256) {
            loginForm(r, AuthResult.FAILED_MESSAGE, HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        char[] password = pw.toCharArray();
        AuthResult result;
        try {
            result = authenticator.authenticate(user, password, r.source());
        } finally {
            Arrays.fill(password, '\0');
        }
        if (!result.success()) {
            // The authenticator has audited the real reason; the person sees the one message for every failure.
            loginForm(r, AuthResult.FAILED_MESSAGE, HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        Identity who = result.identity().orElseThrow();
        sessions.close(cookie(r.req(), ConsoleKeys.SESSION_COOKIE));
        Session s = sessions.open(who, result.mustChangePassword(), r.source());
        if (!guard.record(guard.event(who.name(), r.source(), "console.session.open", null, AuditEvent.Result.SUCCESS,
                result.mustChangePassword() ? "one-time password: must set a new one" : null))) {
            // Fail closed: a session that cannot be recorded is not opened.
            sessions.close(s.id());
            loginForm(r, "The audit trail cannot record the login now; nothing was opened. Try again later.",
                    HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        setSessionCookie(r, s);
        r.resp().addHeader("Set-Cookie", cookieHeader(ConsoleKeys.LOGIN_COOKIE, "", "/", 0));
        r.resp().sendRedirect(s.mustChangePassword() ? "/password" : "/");
    }

    private void logout(Request r) throws IOException {
        if (r.session() != null) {
            sessions.close(r.session().id());
            guard.record(guard.event(r.session().identity().name(), r.source(), "console.session.close", null,
                    AuditEvent.Result.SUCCESS, "logout"));
        }
        r.resp().addHeader("Set-Cookie", cookieHeader(ConsoleKeys.SESSION_COOKIE, "", "/", 0));
        r.resp().sendRedirect("/login?bye");
    }

    private void changePassword(Request r) throws IOException {
        Session s = r.session();
        String oldPw = Optional.ofNullable(r.req().getParameter("current")).orElse("");
        String newPw = Optional.ofNullable(r.req().getParameter("new")).orElse("");
        String repeat = Optional.ofNullable(r.req().getParameter("repeat")).orElse("");
        if (!newPw.equals(repeat)) {
            pages.passwordForm(r, "The two new passwords differ.", HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        if (oldPw.length() > 256 || newPw.length() > 256) {
            pages.passwordForm(r, "A password has at most 256 characters.", HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        char[] o = oldPw.toCharArray();
        char[] n = newPw.toCharArray();
        try {
            authenticator.changeOwnPassword(s.identity().name(), o, n, r.source());
        } catch (PasswordRejectedException e) {
            pages.passwordForm(r, e.getMessage(), HttpServletResponse.SC_BAD_REQUEST);
            return;
        } catch (SecurityException e) {
            pages.passwordForm(r, "The current password is not right.", HttpServletResponse.SC_FORBIDDEN);
            return;
        } finally {
            Arrays.fill(o, '\0');
            Arrays.fill(n, '\0');
        }
        // Every other session of the user ends; this browser gets a fresh session id and token.
        sessions.closeAll(s.identity().name());
        Session fresh = sessions.open(s.identity(), false, r.source());
        setSessionCookie(r, fresh);
        r.resp().sendRedirect("/?password-changed");
    }

    /**
     * Cross-site check of every POST, PUT and DELETE: a browser sends Origin (and Sec-Fetch-Site) with it; when
     * present they must name this console. Scripts (curl) send neither and are checked by their credentials instead.
     */
    private boolean sameOrigin(Request r) throws IOException {
        String origin = r.req().getHeader("Origin");
        String fetchSite = r.req().getHeader("Sec-Fetch-Site");
        String host = r.req().getHeader("Host");
        boolean ok = (origin == null || (host != null && origin.equalsIgnoreCase("https://" + host)))
                && (fetchSite == null || fetchSite.equals("same-origin") || fetchSite.equals("none"));
        if (!ok) {
            refuseCrossSite(r, "request from another site (Origin " + Values.clip(String.valueOf(origin))
                    + ", Sec-Fetch-Site " + fetchSite + ")");
        }
        return ok;
    }

    /** The session's CSRF token must come with a form (field) or a script's request (header). */
    boolean checkCsrf(Request r) throws IOException {
        if (r.session() == null) {
            r.resp().sendRedirect("/login");
            return false;
        }
        String given = Optional.ofNullable(r.req().getHeader(ConsoleKeys.CSRF_HEADER))
                .orElse(r.req().getParameter(ConsoleKeys.CSRF_FIELD));
        if (SessionStore.sameToken(r.session().csrfToken(), given)) {
            return true;
        }
        refuseCrossSite(r, "CSRF token missing or wrong");
        return false;
    }

    private void refuseCrossSite(Request r, String reason) throws IOException {
        String who = r.session() == null ? "anonymous" : r.session().identity().name();
        guard.record(guard.event(who, r.source(), "console.request", r.req().getRequestURI(), AuditEvent.Result.DENIED,
                reason));
        LOG.warn("console: refused {} {} from {} ({}): {}", r.req().getMethod(), r.req().getRequestURI(), r.source(), who,
                reason);
        pages.error(r, HttpServletResponse.SC_FORBIDDEN, "Refused: cross-site request",
                "This request did not come from a console page of this session, so it was refused and recorded.");
    }

    private void setSessionCookie(Request r, Session s) {
        r.resp().addHeader("Set-Cookie", cookieHeader(ConsoleKeys.SESSION_COOKIE, s.id(), "/", -1));
    }

    /** Secure, HttpOnly, SameSite=Strict; the {@code __Host-} prefix requires Secure and Path=/. */
    static String cookieHeader(String name, String value, String path, int maxAge) {
        return name + "=" + value + "; Path=" + path + "; Secure; HttpOnly; SameSite=Strict"
                + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
    }

    static void securityHeaders(HttpServletResponse resp) {
        resp.setHeader("Strict-Transport-Security", "max-age=31536000");
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: with no-referrer Chrome sends "Origin: null" on our own form posts.
        resp.setHeader("Referrer-Policy", "same-origin");
        resp.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        resp.setHeader("Cross-Origin-Resource-Policy", "same-origin");
        resp.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        resp.setHeader("Cache-Control", "no-store");
    }

    private void serveStatic(String name, HttpServletResponse resp) throws IOException {
        String type = STATIC.get(name);
        if (type == null) {
            resp.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (InputStream in = ConsoleServlet.class.getResourceAsStream("/static/" + name)) {
            if (in == null) {
                resp.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            byte[] bytes = in.readAllBytes();
            resp.setContentType(type);
            resp.setHeader("Cache-Control", "no-cache");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
    }

    static String cookie(HttpServletRequest req, String name) {
        Cookie[] cookies = req.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    static String source(HttpServletRequest req) {
        return req.getRemoteAddr() + ":" + req.getRemotePort();
    }

    /** One request with what the console knows about it. */
    record Request(HttpServletRequest req, HttpServletResponse resp, Session session, String source) {

        void html(int status, String html) throws IOException {
            resp.setStatus(status);
            resp.setContentType("text/html; charset=utf-8");
            byte[] b = html.getBytes(StandardCharsets.UTF_8);
            resp.setContentLength(b.length);
            resp.getOutputStream().write(b);
        }

        void json(int status, String json) throws IOException {
            resp.setStatus(status);
            resp.setContentType("application/json");
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            resp.setContentLength(b.length);
            resp.getOutputStream().write(b);
        }
    }
}
