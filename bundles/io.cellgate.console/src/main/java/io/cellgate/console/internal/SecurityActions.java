package io.cellgate.console.internal;

import io.cellgate.api.audit.AuditEvent;
import io.cellgate.api.policy.AccessPolicy;
import io.cellgate.api.policy.AccessRequest;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Context;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.PolicyAdmin;
import io.cellgate.api.policy.Resource;
import io.cellgate.api.policy.Subject;
import io.cellgate.config.ConfigEditor;
import io.cellgate.identity.Identity;
import io.cellgate.identity.PasswordRejectedException;
import io.cellgate.identity.Roles;
import io.cellgate.identity.UserAdmin;
import io.cellgate.identity.UserInfo;
import io.cellgate.pki.CertificateEntry;
import io.cellgate.pki.GatewayPki;
import io.cellgate.pki.PkiException;
import io.cellgate.pki.TrustList;
import jakarta.servlet.http.HttpServletResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What the Security page and its REST API do: the gateway's certificate, the client trust lists, users and roles, the
 * policy. Shared by {@link SecurityPage} (forms) and {@link SecurityApi} (JSON), so both ask the policy engine the same
 * way and refuse the same input. Every change asks the policy ({@code manage_certificates}, {@code manage_users},
 * {@code manage_policy}; a denial is audited) and is audited by the service that makes it, as the person.
 */
final class SecurityActions {

    /** At most this much PEM text (a gateway certificate with a few CA certificates is 2-8 KiB). */
    static final int MAX_PEM = 65_536;
    /** At most this much cell.yaml text through the access editor. */
    static final int MAX_YAML = 262_144;
    static final Pattern THUMBPRINT = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");

    private final Supplier<GatewayPki> pki;
    private final Supplier<UserAdmin> users;
    private final Supplier<AccessPolicy> policy;
    private final Supplier<PolicyAdmin> policyAdmin;
    private final Supplier<ConfigEditor> editor;
    private final Guard guard;
    private final Clock clock;

    SecurityActions(Supplier<GatewayPki> pki, Supplier<UserAdmin> users, Supplier<AccessPolicy> policy,
            Supplier<PolicyAdmin> policyAdmin, Supplier<ConfigEditor> editor, Guard guard, Clock clock) {
        this.pki = pki;
        this.users = users;
        this.policy = policy;
        this.policyAdmin = policyAdmin;
        this.editor = editor;
        this.guard = guard;
        this.clock = clock;
    }

    /** The answer to one action: HTTP status, the field that was wrong (or null), a sentence, and data if any. */
    record Outcome(int status, String field, String message, Object data) {
        boolean ok() {
            return status < 300;
        }

        static Outcome ok(String message, Object data) {
            return new Outcome(HttpServletResponse.SC_OK, null, message, data);
        }

        static Outcome bad(String field, String message) {
            return new Outcome(HttpServletResponse.SC_BAD_REQUEST, field, field + ": " + message, null);
        }

        /** The text for the person: "field: reason" for input errors, the message otherwise. */
        String text() {
            return message;
        }
    }

    /** Who asks, through which channel, from where. */
    record Caller(Identity identity, String channel, String source) {
    }

    // ------------------------------------------------------------------ policy checks

    /** Would the policy let {@code c} do {@code action} at all (a preview, for showing a section and its buttons)? */
    boolean may(Caller c, Action action) {
        AccessPolicy p = policy.get();
        if (p == null) {
            return false;
        }
        try {
            return p.preview(request(c, action, resourceFor(action, null))).allowed();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** May {@code c} see the Security page: one of the three management actions. */
    boolean maySeeAny(Caller c) {
        return may(c, Action.MANAGE_CERTIFICATES) || may(c, Action.MANAGE_USERS) || may(c, Action.MANAGE_POLICY);
    }

    /**
     * Asks the policy (spending nothing: management actions have no rate) and audits a denial as
     * {@code console.<what>}.
     *
     * @return empty when allowed, else the 403 outcome
     */
    Optional<Outcome> authorize(Caller c, Action action, String object, String what) {
        Decision d = guard.decide(c.identity(), action, resourceFor(action, object), c.channel(), c.source(), null);
        if (d.allowed()) {
            return Optional.empty();
        }
        String reason = guard.denied(c.identity(), c.source(), "console." + what, resourceFor(action, object).name(), d);
        return Optional.of(new Outcome(HttpServletResponse.SC_FORBIDDEN, null, "denied: " + reason, null));
    }

    static Resource resourceFor(Action action, String object) {
        String base = switch (action) {
            case MANAGE_CERTIFICATES -> "certificates";
            case MANAGE_USERS -> "users";
            case MANAGE_POLICY -> "access";
            default -> action.key();
        };
        return Resource.section(object == null ? base : base + "/" + object);
    }

    private AccessRequest request(Caller c, Action action, Resource resource) {
        return new AccessRequest(subject(c.identity()), action, resource,
                new Context(c.channel(), c.source(), null, null, null, clock.instant()));
    }

    private static Subject subject(Identity who) {
        return new Subject(who.name(), who.kind() == Identity.Kind.USER ? Subject.Kind.HUMAN : Subject.Kind.APPLICATION,
                who.roles());
    }

    private static Outcome unavailable(String what) {
        return new Outcome(HttpServletResponse.SC_SERVICE_UNAVAILABLE, null, what + " is not running; nothing was changed",
                null);
    }

    // ------------------------------------------------------------------ gateway certificate

    /** The gateway certificate as the page shows it. */
    record GatewayCertificate(String subject, String issuer, List<String> subjectAltNames, Instant notBefore,
            Instant notAfter, long daysLeft, String sha1, String sha256, int chainLength, String applicationUri) {
    }

    Optional<GatewayCertificate> gatewayCertificate() {
        GatewayPki p = pki.get();
        if (p == null) {
            return Optional.empty();
        }
        X509Certificate c = p.certificate();
        return Optional.of(new GatewayCertificate(c.getSubjectX500Principal().getName(),
                c.getIssuerX500Principal().getName(), subjectAltNames(c), c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant(), p.daysUntilExpiry(), p.thumbprint(), sha256(c), p.chain().length,
                p.applicationUri()));
    }

    /** A CSR for the gateway key; audited as {@code certificate.csr}. */
    Outcome csr(Caller c) {
        Optional<Outcome> denied = authorize(c, Action.MANAGE_CERTIFICATES, "gateway", "certificate.csr");
        if (denied.isPresent()) {
            return denied.get();
        }
        GatewayPki p = pki.get();
        if (p == null) {
            return unavailable("the PKI");
        }
        String pem;
        try {
            pem = p.createCsr();
        } catch (PkiException e) {
            guard.record(guard.event(c.identity().name(), c.source(), "certificate.csr", "own", AuditEvent.Result.FAILED,
                    e.getMessage()));
            return new Outcome(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, null, e.getMessage(), null);
        }
        if (!guard.record(guard.event(c.identity().name(), c.source(), "certificate.csr", "sha1:" + p.thumbprint() + " own "
                + p.certificate().getSubjectX500Principal().getName(), AuditEvent.Result.SUCCESS, null))) {
            return new Outcome(HttpServletResponse.SC_SERVICE_UNAVAILABLE, null,
                    "the audit trail cannot record the request now; no CSR was handed out", null);
        }
        return Outcome.ok("certificate signing request for the gateway key", pem);
    }

    /** Installs a CA-signed chain (PEM, the gateway certificate first); the PKI checks and audits it. */
    Outcome install(Caller c, String pem) {
        Optional<Outcome> denied = authorize(c, Action.MANAGE_CERTIFICATES, "gateway", "certificate.install");
        if (denied.isPresent()) {
            return denied.get();
        }
        if (pem == null || pem.isBlank()) {
            return Outcome.bad("certificate", "missing: paste or upload the signed certificate chain (PEM)");
        }
        if (pem.length() > MAX_PEM) {
            return Outcome.bad("certificate", "more than " + MAX_PEM + " characters");
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            return Outcome.bad("certificate", "no PEM certificate in it (expected -----BEGIN CERTIFICATE----- blocks, "
                    + "the gateway certificate first, then its CA certificates)");
        }
        GatewayPki p = pki.get();
        if (p == null) {
            return unavailable("the PKI");
        }
        try {
            p.installSignedCertificate(pem, c.identity().name());
        } catch (PkiException e) {
            return Outcome.bad("certificate", e.getMessage());
        }
        return Outcome.ok("installed: " + p.certificate().getSubjectX500Principal().getName() + " (SHA-1 " + p.thumbprint()
                + "). OPC UA and the console use it after the next restart of the gateway.", null);
    }

    // ------------------------------------------------------------------ client certificates

    /** One certificate of a trust list as the page shows it. */
    record ClientCertificate(String list, String subject, String issuer, String applicationUri, String sha1,
            String sha256, Instant notBefore, Instant notAfter) {
    }

    Optional<List<ClientCertificate>> clients(TrustList list) {
        GatewayPki p = pki.get();
        if (p == null) {
            return Optional.empty();
        }
        List<ClientCertificate> out = new ArrayList<>();
        for (CertificateEntry e : p.trustStore().list(list)) {
            out.add(new ClientCertificate(list.name().toLowerCase(Locale.ROOT), e.subject(), e.issuer(),
                    e.applicationUri().orElse(""), e.thumbprint(), sha256(e.certificate()), e.notBefore(), e.notAfter()));
        }
        return Optional.of(out);
    }

    /** trust (rejected to trusted), reject (trusted to rejected) or remove (from every list). */
    Outcome client(Caller c, String operation, String thumbprint) {
        String action = switch (operation == null ? "" : operation) {
            case "trust", "reject", "remove" -> "certificate." + operation;
            default -> null;
        };
        if (action == null) {
            return Outcome.bad("operation", "'" + Values.clip(String.valueOf(operation)) + "' is not one of trust, reject, remove");
        }
        if (thumbprint == null || !THUMBPRINT.matcher(thumbprint.trim()).matches()) {
            return Outcome.bad("thumbprint", "'" + Values.clip(String.valueOf(thumbprint))
                    + "' is not a SHA-1 thumbprint (40 hex digits)");
        }
        String tp = thumbprint.trim().toLowerCase(Locale.ROOT);
        Optional<Outcome> denied = authorize(c, Action.MANAGE_CERTIFICATES, "clients/" + tp, action);
        if (denied.isPresent()) {
            return denied.get();
        }
        GatewayPki p = pki.get();
        if (p == null) {
            return unavailable("the PKI");
        }
        try {
            var store = p.trustStore(c.identity().name());
            switch (operation) {
                case "trust" -> {
                    CertificateEntry e = store.trust(tp);
                    return Outcome.ok("trusted: " + e.subject() + " (" + tp + "); the client may connect now", null);
                }
                case "reject" -> {
                    CertificateEntry e = store.reject(tp);
                    return Outcome.ok("rejected: " + e.subject() + " (" + tp + "); new connections with it are refused", null);
                }
                default -> {
                    List<CertificateEntry> removed = store.remove(tp);
                    if (removed.isEmpty()) {
                        return new Outcome(HttpServletResponse.SC_NOT_FOUND, "thumbprint",
                                "thumbprint: no certificate " + tp + " in the trusted or rejected list", null);
                    }
                    return Outcome.ok("removed: " + removed.get(0).subject() + " (" + tp + ")", null);
                }
            }
        } catch (PkiException e) {
            return new Outcome(HttpServletResponse.SC_NOT_FOUND, "thumbprint", "thumbprint: " + e.getMessage(), null);
        }
    }

    // ------------------------------------------------------------------ users

    /** A user as the page shows it. */
    record UserRow(UserInfo info, Instant lockedUntil) {
    }

    Optional<List<UserRow>> users() {
        UserAdmin u = users.get();
        if (u == null) {
            return Optional.empty();
        }
        return Optional.of(u.users().stream().map(i -> new UserRow(i, u.lockedUntil(i.name()).orElse(null))).toList());
    }

    /**
     * Creates a person (with a password; {@code oneTime}: must change it at the first login) or an application (no
     * password, logs in by certificate).
     */
    Outcome createUser(Caller c, String name, Collection<String> roles, String password, String repeat,
            boolean oneTime, boolean application) {
        Optional<Outcome> bad = checkName(name);
        if (bad.isPresent()) {
            return bad.get();
        }
        Optional<Outcome> denied = authorize(c, Action.MANAGE_USERS, name, "user.create");
        if (denied.isPresent()) {
            return denied.get();
        }
        bad = checkRoles(roles);
        if (bad.isEmpty() && !application) {
            if (password == null || password.isEmpty()) {
                bad = Optional.of(Outcome.bad("password", "missing (an application has none; a person needs one)"));
            } else if (repeat != null && !repeat.equals(password)) {
                bad = Optional.of(Outcome.bad("repeat", "the two passwords differ"));
            } else if (password.length() > 256) {
                bad = Optional.of(Outcome.bad("password", "more than 256 characters"));
            }
        }
        if (bad.isEmpty() && application && password != null && !password.isEmpty()) {
            bad = Optional.of(Outcome.bad("password", "an application has no password (it logs in by certificate)"));
        }
        if (bad.isPresent()) {
            return bad.get();
        }
        UserAdmin u = users.get();
        if (u == null) {
            return unavailable("the identity service");
        }
        Set<String> roleSet = Set.copyOf(roles);
        if (application) {
            return userChange(() -> u.createApplication(c.identity(), name, roleSet),
                    "created application " + name + " with roles " + sorted(roleSet)
                            + "; map its certificate to it (cellgate user map-cert) to let it in");
        }
        char[] pw = password.toCharArray();
        try {
            Outcome o = userChange(() -> u.createUser(c.identity(), name, roleSet, pw),
                    "created user " + name + " with roles " + sorted(roleSet));
            if (o.ok() && oneTime) {
                Outcome must = userChange(() -> u.setPassword(c.identity(), name, pw, true), o.message()
                        + "; the password is a one-time password: " + name + " must choose a new one at the first login");
                if (!must.ok()) {
                    // Nothing half-applied: without the one-time flag the user goes again.
                    userChange(() -> u.remove(c.identity(), name), "");
                }
                return must;
            }
            return o;
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    Outcome setRoles(Caller c, String name, Collection<String> roles) {
        Optional<Outcome> bad = checkName(name);
        if (bad.isPresent()) {
            return bad.get();
        }
        Optional<Outcome> denied = authorize(c, Action.MANAGE_USERS, name, "user.roles");
        if (denied.isPresent()) {
            return denied.get();
        }
        bad = checkExisting(name);
        if (bad.isEmpty()) {
            bad = checkRoles(roles);
        }
        if (bad.isPresent()) {
            return bad.get();
        }
        if (self(c, name) && !roles.contains(Roles.SECURITY_ADMIN)) {
            return new Outcome(HttpServletResponse.SC_CONFLICT, "roles", "roles: you cannot take " + Roles.SECURITY_ADMIN
                    + " from yourself (you would lock yourself out); another SecurityAdmin can", null);
        }
        UserAdmin u = users.get();
        Set<String> roleSet = Set.copyOf(roles);
        return userChange(() -> u.setRoles(c.identity(), name, roleSet), "roles of " + name + ": " + sorted(roleSet));
    }

    /** disable, enable, remove or unlock a user. */
    Outcome userState(Caller c, String name, String operation) {
        String action = switch (operation == null ? "" : operation) {
            case "disable", "enable", "remove", "unlock" -> "user." + operation;
            default -> null;
        };
        if (action == null) {
            return Outcome.bad("operation", "'" + Values.clip(String.valueOf(operation))
                    + "' is not one of disable, enable, remove, unlock");
        }
        Optional<Outcome> bad = checkName(name);
        if (bad.isPresent()) {
            return bad.get();
        }
        Optional<Outcome> denied = authorize(c, Action.MANAGE_USERS, name, action);
        if (denied.isPresent()) {
            return denied.get();
        }
        bad = checkExisting(name);
        if (bad.isPresent()) {
            return bad.get();
        }
        if (self(c, name) && (operation.equals("disable") || operation.equals("remove"))) {
            return new Outcome(HttpServletResponse.SC_CONFLICT, "name", "name: you cannot " + operation
                    + " yourself (you would lock yourself out); another SecurityAdmin can", null);
        }
        UserAdmin u = users.get();
        return switch (operation) {
            case "disable" -> userChange(() -> u.setEnabled(c.identity(), name, false), "disabled " + name
                    + ": cannot log in until enabled again");
            case "enable" -> userChange(() -> u.setEnabled(c.identity(), name, true), "enabled " + name);
            case "remove" -> userChange(() -> u.remove(c.identity(), name), "removed " + name);
            default -> userChange(() -> u.unlock(c.identity(), name), "unlocked " + name + ": may log in again at once");
        };
    }

    /** A generated one-time password for {@code name}, shown once (data: the password). */
    Outcome resetPassword(Caller c, String name) {
        Optional<Outcome> bad = checkName(name);
        if (bad.isPresent()) {
            return bad.get();
        }
        Optional<Outcome> denied = authorize(c, Action.MANAGE_USERS, name, "user.password.reset");
        if (denied.isPresent()) {
            return denied.get();
        }
        bad = checkExisting(name);
        if (bad.isPresent()) {
            return bad.get();
        }
        UserAdmin u = users.get();
        char[][] pw = new char[1][];
        Outcome o = userChange(() -> pw[0] = u.resetPassword(c.identity(), name), "new one-time password for " + name
                + " (shown once; " + name + " must choose a new one at the next login)");
        if (!o.ok()) {
            return o;
        }
        String text = new String(pw[0]);
        Arrays.fill(pw[0], '\0');
        return Outcome.ok(o.message(), text);
    }

    private interface UserChange {
        void run();
    }

    /** Runs a change of the identity service and turns its exceptions into outcomes naming the field. */
    private static Outcome userChange(UserChange change, String success) {
        try {
            change.run();
            return Outcome.ok(success, null);
        } catch (PasswordRejectedException e) {
            return Outcome.bad("password", e.getMessage());
        } catch (IllegalArgumentException e) {
            String m = e.getMessage() == null ? "invalid" : e.getMessage();
            int colon = m.indexOf(": ");
            String field = colon > 0 && colon < 12 && m.substring(0, colon).matches("[a-z]+") ? m.substring(0, colon) : "name";
            return new Outcome(HttpServletResponse.SC_BAD_REQUEST, field, colon > 0 && m.startsWith(field + ": ") ? m
                    : field + ": " + m, null);
        } catch (IllegalStateException e) {
            // The identity service refuses to leave no SecurityAdmin.
            return new Outcome(HttpServletResponse.SC_CONFLICT, null, e.getMessage(), null);
        } catch (SecurityException e) {
            return new Outcome(HttpServletResponse.SC_FORBIDDEN, null, e.getMessage(), null);
        } catch (UnsupportedOperationException e) {
            return new Outcome(HttpServletResponse.SC_NOT_IMPLEMENTED, null, e.getMessage(), null);
        }
    }

    private Optional<Outcome> checkName(String name) {
        if (name == null || name.isBlank()) {
            return Optional.of(Outcome.bad("name", "missing"));
        }
        if (!NAME.matcher(name).matches()) {
            return Optional.of(Outcome.bad("name", "'" + Values.clip(name) + "' is not a valid user name: use 1 to 64 "
                    + "letters, digits, '_', '.', '@', '-', starting with a letter or digit"));
        }
        return Optional.empty();
    }

    private Optional<Outcome> checkExisting(String name) {
        Optional<Outcome> bad = checkName(name);
        if (bad.isPresent()) {
            return bad;
        }
        UserAdmin u = users.get();
        if (u == null) {
            return Optional.of(unavailable("the identity service"));
        }
        if (u.user(name).isEmpty()) {
            return Optional.of(new Outcome(HttpServletResponse.SC_NOT_FOUND, "name", "name: there is no user '" + name + "'",
                    null));
        }
        return Optional.empty();
    }

    private static Optional<Outcome> checkRoles(Collection<String> roles) {
        if (roles == null) {
            return Optional.of(Outcome.bad("roles", "missing"));
        }
        for (String r : roles) {
            if (!Roles.ALL.contains(r)) {
                return Optional.of(Outcome.bad("roles", "unknown role '" + Values.clip(String.valueOf(r)) + "': use one of "
                        + String.join(", ", Roles.ALL)));
            }
        }
        return Optional.empty();
    }

    private static boolean self(Caller c, String name) {
        return c.identity().name().equalsIgnoreCase(name.trim());
    }

    private static String sorted(Set<String> roles) {
        return roles.isEmpty() ? "(none)" : String.join(", ", roles.stream().sorted().toList());
    }

    // ------------------------------------------------------------------ policy

    Optional<PolicyAdmin> policyAdmin() {
        return Optional.ofNullable(policyAdmin.get());
    }

    /** The answer of a "what if": the decision and the rule that made it. */
    record Preview(String identity, Set<String> roles, String action, String resource, String channel, Decision decision) {
    }

    /**
     * What would the policy answer if {@code identity} (a known user or application, with its roles now) did
     * {@code action} on {@code resource} through {@code channel}? Side-effect free ({@link AccessPolicy#preview}).
     */
    Outcome preview(Caller c, String identity, String action, String resource, String channel, String value) {
        Optional<Outcome> denied = authorize(c, Action.MANAGE_POLICY, null, "policy.preview");
        if (denied.isPresent()) {
            return denied.get();
        }
        UserAdmin u = users.get();
        if (identity == null || identity.isBlank()) {
            return Outcome.bad("identity", "missing: the user or application to ask about");
        }
        if (u == null) {
            return unavailable("the identity service");
        }
        Optional<UserInfo> who = u.user(identity.trim());
        if (who.isEmpty()) {
            return Outcome.bad("identity", "there is no user or application '" + Values.clip(identity) + "'");
        }
        Action a = action == null ? null : Action.ofKey(action);
        if (a == null) {
            return Outcome.bad("action", "'" + Values.clip(String.valueOf(action)) + "' is not an action: use one of "
                    + String.join(", ", Arrays.stream(Action.values()).map(Action::key).toList()));
        }
        if (resource == null || resource.isBlank()) {
            return Outcome.bad("resource", "missing: a tag (device/tag) for tag actions, a section (devices, users/otto) "
                    + "for management actions");
        }
        if (resource.length() > 200) {
            return Outcome.bad("resource", "more than 200 characters");
        }
        String ch = channel == null || channel.isBlank() ? ConsoleKeys.CHANNEL_CONSOLE : channel.trim().toLowerCase(Locale.ROOT);
        if (!List.of("opcua", "sparkplug", "console", "rest").contains(ch)) {
            return Outcome.bad("channel", "'" + Values.clip(ch) + "' is not one of opcua, sparkplug, console, rest");
        }
        Object v = null;
        if (value != null && !value.isBlank()) {
            try {
                v = Double.valueOf(value.trim());
            } catch (NumberFormatException e) {
                v = value.trim();
            }
        }
        if (a.onTags() && !resource.trim().matches("[^/]+/[^/]+")) {
            return Outcome.bad("resource", "'" + Values.clip(resource) + "' is not a tag path (device/tag); "
                    + a.key() + " is a tag action");
        }
        AccessPolicy p = policy.get();
        if (p == null) {
            return unavailable("the access policy");
        }
        UserInfo info = who.get();
        Subject s = new Subject(info.name(), info.kind() == Identity.Kind.USER ? Subject.Kind.HUMAN
                : Subject.Kind.APPLICATION, info.roles());
        Resource r = a.onTags() ? Resource.tag(resource.trim()) : Resource.section(resource.trim());
        Decision d = p.preview(new AccessRequest(s, a, r, new Context(ch, null, null, null, v, clock.instant())));
        return Outcome.ok(d.explain(), new Preview(info.name(), info.roles(), a.key(), resource.trim(), ch, d));
    }

    /** Whether cell.yaml's access section can be edited here (the configuration editor runs). */
    boolean accessEditable() {
        return editor.get() != null;
    }

    /** The {@code access:} section of cell.yaml now (empty text when there is none), and the file's hash. */
    Optional<AccessSection> accessSection() {
        ConfigEditor e = editor.get();
        if (e == null) {
            return Optional.empty();
        }
        ConfigEditor.Current now = e.current();
        return Optional.of(new AccessSection(AccessSection.extract(now.text()), now.sha256()));
    }

    /** Replaces the access section of cell.yaml (validated in full and applied by the configuration editor). */
    Outcome changeAccess(Caller c, String section, String expectedHash) {
        Optional<Outcome> denied = authorize(c, Action.MANAGE_POLICY, null, "policy.change");
        if (denied.isPresent()) {
            return denied.get();
        }
        if (section == null) {
            return Outcome.bad("access", "missing");
        }
        if (section.length() > MAX_YAML) {
            return Outcome.bad("access", "more than " + MAX_YAML + " characters");
        }
        Optional<String> shape = AccessSection.checkShape(section);
        if (shape.isPresent()) {
            return Outcome.bad("access", shape.get());
        }
        if (expectedHash != null && !expectedHash.isEmpty() && !expectedHash.matches("[0-9a-f]{64}")) {
            return Outcome.bad("hash", "not a SHA-256 (64 lower-case hex digits)");
        }
        ConfigEditor e = editor.get();
        if (e == null) {
            return unavailable("the configuration editor");
        }
        ConfigEditor.Current now = e.current();
        String hash = expectedHash == null || expectedHash.isEmpty() ? now.sha256() : expectedHash;
        String next = AccessSection.replace(now.text(), section);
        Optional<Outcome> lockout = selfLockout(c, next);
        if (lockout.isPresent()) {
            return lockout.get();
        }
        ConfigEditor.ChangeResult r = e.change(next, hash, c.identity().name(), "access section edited in the console");
        return switch (r.outcome()) {
            case APPLIED -> Outcome.ok(r.message(), r.snapshot().map(ConfigEditor.Snapshot::id).orElse(null));
            case INVALID -> new Outcome(HttpServletResponse.SC_BAD_REQUEST, "access", "access: " + r.message(),
                    r.errors().stream().map(Object::toString).toList());
            case CONFLICT -> new Outcome(HttpServletResponse.SC_CONFLICT, "hash", "hash: " + r.message(), null);
            case ROLLED_BACK -> new Outcome(HttpServletResponse.SC_CONFLICT, null, r.message(), null);
            case FAILED -> new Outcome(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, null, r.message(), null);
        };
    }

    /**
     * Refuses a candidate cell.yaml under which the editing identity could no longer manage the policy (self-lockout:
     * only another SecurityAdmin, or a hand edit of the file, could undo it). The policy engine decides with the
     * candidate section, as the page's own permission check would after the change. A section with problems is left
     * to the configuration editor, which refuses it naming every problem.
     */
    private Optional<Outcome> selfLockout(Caller c, String candidate) {
        PolicyAdmin admin = policyAdmin.get();
        if (admin == null) {
            return Optional.of(unavailable("the policy engine (it checks that you keep manage_policy)"));
        }
        if (!admin.validateAccessSection(candidate, "cell.yaml").isEmpty()) {
            return Optional.empty();
        }
        Resource resource = resourceFor(Action.MANAGE_POLICY, null);
        Decision d;
        try {
            d = admin.previewWithAccessSection(candidate, "cell.yaml", request(c, Action.MANAGE_POLICY, resource));
        } catch (RuntimeException ex) {
            d = Decision.deny("the policy engine could not evaluate the section: " + ex, 0);
        }
        if (d.allowed()) {
            return Optional.empty();
        }
        String message = "access: with this section you (" + c.identity().name() + ") could no longer manage the "
                + "access policy (manage_policy on " + resource.name() + "): " + d.reason() + ". Nothing was changed; "
                + "keep a rule that lets you manage the policy.";
        guard.record(guard.event(c.identity().name(), c.source(), "console.policy.change", resource.name(),
                AuditEvent.Result.DENIED, "refused: would lock the editor out (" + d.explain() + ")"));
        return Optional.of(new Outcome(HttpServletResponse.SC_CONFLICT, "access", message, null));
    }

    // ------------------------------------------------------------------ certificate helpers

    static String sha256(X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "";
        }
    }

    /** {@code URI:urn:..., DNS:gw, IP:10.0.0.1}: the alternative names an admin checks. */
    static List<String> subjectAltNames(X509Certificate c) {
        Set<String> out = new LinkedHashSet<>();
        try {
            Collection<List<?>> names = c.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            for (List<?> n : names) {
                String kind = switch ((Integer) n.get(0)) {
                    case 1 -> "email";
                    case 2 -> "DNS";
                    case 6 -> "URI";
                    case 7 -> "IP";
                    default -> null;
                };
                if (kind != null) {
                    out.add(kind + ":" + n.get(1));
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return List.copyOf(out);
    }

    static long daysLeft(Instant notAfter, Instant now) {
        return Duration.between(now, notAfter).toDays();
    }

    Instant now() {
        return clock.instant();
    }
}
