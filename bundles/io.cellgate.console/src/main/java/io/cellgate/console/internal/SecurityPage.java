package io.cellgate.console.internal;

import static io.cellgate.console.internal.Html.esc;

import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.PolicyAdmin;
import io.cellgate.api.policy.PolicyRule;
import io.cellgate.api.policy.PolicyVersion;
import io.cellgate.console.internal.ConsoleServlet.Request;
import io.cellgate.console.internal.SecurityActions.Caller;
import io.cellgate.console.internal.SecurityActions.Outcome;
import io.cellgate.identity.Roles;
import io.cellgate.pki.TrustList;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Security pages: {@code /security} (the gateway certificate, the client trust lists), {@code /security/users}
 * and {@code /security/policy}. Forms post to the same paths' actions; every answer names the field that was wrong.
 * A section is shown only to those the policy lets manage it; the others get 403 (and the denial is audited).
 */
final class SecurityPage {

    /** The sub-pages; {@code /security/firewall} is its own page (another class) and only linked. */
    private static final List<String[]> TABS = List.of(new String[] {"/security", "Certificates"},
            new String[] {"/security/users", "Users and roles"}, new String[] {"/security/policy", "Policy"},
            new String[] {"/security/firewall", "Firewall"});

    private final SecurityActions actions;

    SecurityPage(SecurityActions actions) {
        this.actions = actions;
    }

    private static Caller caller(Request r) {
        return new Caller(r.session().identity(), ConsoleKeys.CHANNEL_CONSOLE, r.source());
    }

    /** What a form's answer shows: a message, or an error naming a field; a value shown once (a new password). */
    private record Answer(Outcome outcome, String secret) {
        static final Answer NONE = new Answer(null, null);
    }

    // ------------------------------------------------------------------ certificates

    void certificates(Request r) throws IOException {
        certificatesPage(r, Answer.NONE);
    }

    private void certificatesPage(Request r, Answer a) throws IOException {
        Caller c = caller(r);
        if (!allowed(r, c, Action.MANAGE_CERTIFICATES, "certificate.view")) {
            return;
        }
        StringBuilder b = new StringBuilder(8192);
        header(b, "/security", a);
        b.append("<section class=\"card\" id=\"gateway-certificate\"><h2>Gateway certificate</h2>");
        actions.gatewayCertificate().ifPresentOrElse(g -> {
            b.append("<dl>");
            dd(b, "Subject", "cert-subject", g.subject());
            dd(b, "Issuer", "cert-issuer", g.issuer() + (g.issuer().equals(g.subject()) ? " (self-signed)" : ""));
            dd(b, "Subject alternative names", "cert-sans", String.join(", ", g.subjectAltNames()));
            dd(b, "Valid", "cert-validity", Pages.time(g.notBefore()) + " to " + Pages.time(g.notAfter()));
            b.append("<dt>Expires in</dt><dd id=\"cert-days\" class=\"").append(g.daysLeft() < 30 ? "warn" : "ok")
                    .append("\">").append(g.daysLeft()).append(" days</dd>");
            b.append("<dt>Thumbprint SHA-1</dt><dd><code id=\"cert-sha1\">").append(esc(g.sha1())).append("</code></dd>");
            b.append("<dt>Thumbprint SHA-256</dt><dd><code id=\"cert-sha256\">").append(esc(g.sha256()))
                    .append("</code></dd>");
            dd(b, "Chain", "cert-chain", g.chainLength() + " certificate(s)");
            b.append("</dl>");
        }, () -> b.append("<p class=\"hint\">The PKI is not running.</p>"));
        b.append("<h3>Replace it with a CA-signed certificate</h3><ol class=\"hint\"><li>Download a certificate signing "
                + "request (CSR) for the gateway's key and give it to your CA.</li><li>Paste or upload what the CA returns: "
                + "the gateway certificate first, then its CA certificates (PEM). It must be for this key, in order, "
                + "valid now, and complete up to a root (or to a CA in the issuers list).</li></ol>");
        b.append("<form method=\"post\" action=\"/security/csr\" id=\"csr-form\">").append(Html.csrf(r.session()))
                .append("<button type=\"submit\" id=\"csr\">Download CSR</button></form>");
        b.append("<form method=\"post\" action=\"/security/certificate\" id=\"install-form\">").append(Html.csrf(r.session()))
                .append("<label>Signed certificate chain (PEM)").append(fieldError(a, "certificate"))
                .append("<textarea name=\"certificate\" id=\"certificate\" rows=\"6\" spellcheck=\"false\"")
                .append(invalid(a, "certificate")).append(" placeholder=\"-----BEGIN CERTIFICATE-----\"></textarea></label>")
                .append("<label>or a file <input type=\"file\" id=\"certificate-file\" accept=\".pem,.crt,.cer,.txt\" "
                        + "data-fill=\"certificate\"></label>")
                .append("<button type=\"submit\" id=\"install\" data-confirm=\"Replace the gateway certificate? OPC UA clients "
                        + "and browsers must trust the new one after the next restart.\">Install</button></form></section>");

        b.append("<section class=\"card\" id=\"clients\"><h2>Client certificates</h2><p class=\"hint\">OPC UA clients "
                + "whose certificate the gateway does not trust are refused, and their certificate lands in the rejected "
                + "list. Trust it to let the client connect at its next attempt.</p>");
        clientTable(b, r, TrustList.REJECTED, "rejected", "Rejected");
        clientTable(b, r, TrustList.TRUSTED, "trusted", "Trusted");
        b.append("</section>");
        r.html(a.outcome() == null ? 200 : a.outcome().status(), Html.page("Security", r.session(), b.toString()));
    }

    private void clientTable(StringBuilder b, Request r, TrustList list, String id, String title) {
        b.append("<h3>").append(title).append("</h3>");
        Optional<List<SecurityActions.ClientCertificate>> entries = actions.clients(list);
        if (entries.isEmpty()) {
            b.append("<p class=\"hint\">The PKI is not running.</p>");
            return;
        }
        if (entries.get().isEmpty()) {
            b.append("<p class=\"hint\" id=\"").append(id).append("-empty\">None.</p>");
            return;
        }
        b.append("<table id=\"").append(id).append("\"><thead><tr><th>Subject</th><th>Application URI</th>")
                .append("<th>Thumbprint (SHA-1)</th><th>Valid</th><th></th></tr></thead><tbody>");
        for (var e : entries.get()) {
            b.append("<tr data-thumbprint=\"").append(esc(e.sha1())).append("\"><td>").append(esc(e.subject()))
                    .append("</td><td>").append(esc(e.applicationUri())).append("</td><td><code title=\"SHA-256 ")
                    .append(esc(e.sha256())).append("\">").append(esc(e.sha1())).append("</code></td><td>")
                    .append(Pages.time(e.notBefore())).append(" to ").append(Pages.time(e.notAfter())).append("</td><td>")
                    .append("<form method=\"post\" action=\"/security/clients\" class=\"inline\">").append(Html.csrf(r.session()))
                    .append("<input type=\"hidden\" name=\"thumbprint\" value=\"").append(esc(e.sha1())).append("\">");
            if (list == TrustList.REJECTED) {
                b.append("<button type=\"submit\" name=\"operation\" value=\"trust\" class=\"trust\" data-confirm=\"Trust ")
                        .append(esc(e.subject())).append("? The client may then connect.\">Trust</button>");
            } else {
                b.append("<button type=\"submit\" name=\"operation\" value=\"reject\" class=\"reject\" data-confirm=\"Reject ")
                        .append(esc(e.subject())).append("? Its new connections will be refused.\">Reject</button>");
            }
            b.append("<button type=\"submit\" name=\"operation\" value=\"remove\" class=\"remove danger\" data-confirm=\"")
                    .append("Remove ").append(esc(e.subject())).append(" from every list?\">Remove</button></form></td></tr>");
        }
        b.append("</tbody></table>");
    }

    void csr(Request r) throws IOException {
        Outcome o = actions.csr(caller(r));
        if (!o.ok()) {
            certificatesPage(r, new Answer(o, null));
            return;
        }
        sendCsr(r, (String) o.data());
    }

    /** The CSR as a download (page and API alike). */
    static void sendCsr(Request r, String pemText) throws IOException {
        byte[] pem = pemText.getBytes(StandardCharsets.US_ASCII);
        r.resp().setStatus(200);
        r.resp().setContentType("application/pkcs10");
        r.resp().setHeader("Content-Disposition", "attachment; filename=\"cellgate-gateway.csr.pem\"");
        r.resp().setContentLength(pem.length);
        r.resp().getOutputStream().write(pem);
    }

    void install(Request r) throws IOException {
        certificatesPage(r, new Answer(actions.install(caller(r), r.req().getParameter("certificate")), null));
    }

    void client(Request r) throws IOException {
        certificatesPage(r, new Answer(actions.client(caller(r), r.req().getParameter("operation"),
                r.req().getParameter("thumbprint")), null));
    }

    // ------------------------------------------------------------------ users

    void users(Request r) throws IOException {
        usersPage(r, Answer.NONE);
    }

    private void usersPage(Request r, Answer a) throws IOException {
        Caller c = caller(r);
        if (!allowed(r, c, Action.MANAGE_USERS, "user.view")) {
            return;
        }
        StringBuilder b = new StringBuilder(8192);
        header(b, "/security/users", a);
        if (a.secret() != null) {
            b.append("<p class=\"info\">One-time password (shown only now; hand it over in person): <code id=\"one-time\">")
                    .append(esc(a.secret())).append("</code></p>");
        }
        b.append("<section class=\"card\"><h2>Users and applications</h2>");
        var list = actions.users();
        if (list.isEmpty()) {
            b.append("<p class=\"hint\">The identity service is not running.</p>");
        } else {
            b.append("<table id=\"users\"><thead><tr><th>Name</th><th>Kind</th><th>Roles</th><th>State</th><th></th>")
                    .append("</tr></thead><tbody>");
            for (var u : list.get()) {
                var i = u.info();
                String n = esc(i.name());
                b.append("<tr data-user=\"").append(n).append("\"><td>").append(n).append("</td><td>")
                        .append(i.kind().name().toLowerCase(Locale.ROOT)).append("</td><td>")
                        .append("<form method=\"post\" action=\"/security/users/roles\" class=\"roles\">")
                        .append(Html.csrf(r.session())).append("<input type=\"hidden\" name=\"name\" value=\"").append(n)
                        .append("\">");
                for (String role : Roles.ALL) {
                    b.append("<label class=\"check\"><input type=\"checkbox\" name=\"roles\" value=\"").append(role).append('"')
                            .append(i.roles().contains(role) ? " checked" : "").append("> ").append(role).append("</label>");
                }
                b.append("<button type=\"submit\">Save roles</button></form></td><td class=\"state\">")
                        .append(i.enabled() ? "enabled" : "<strong>disabled</strong>")
                        .append(i.mustChangePassword() ? ", one-time password" : "")
                        .append(u.lockedUntil() != null ? ", <strong class=\"locked\">locked until " + Pages.time(u.lockedUntil())
                                + "</strong>" : "")
                        .append("</td><td><form method=\"post\" action=\"/security/users/state\" class=\"inline\">")
                        .append(Html.csrf(r.session())).append("<input type=\"hidden\" name=\"name\" value=\"").append(n)
                        .append("\">");
                if (u.lockedUntil() != null) {
                    b.append("<button type=\"submit\" name=\"operation\" value=\"unlock\">Unlock</button>");
                }
                if (i.hasPassword() || i.kind() == io.cellgate.identity.Identity.Kind.USER) {
                    b.append("<button type=\"submit\" name=\"operation\" value=\"reset-password\" data-confirm=\"Give ").append(n)
                            .append(" a new one-time password? The present one stops working.\">Reset password</button>");
                }
                b.append(i.enabled() ? "<button type=\"submit\" name=\"operation\" value=\"disable\" data-confirm=\"Disable " + n
                        + "? They cannot log in until enabled again.\">Disable</button>"
                        : "<button type=\"submit\" name=\"operation\" value=\"enable\">Enable</button>")
                        .append("<button type=\"submit\" name=\"operation\" value=\"remove\" class=\"danger\" data-confirm=\"Remove ")
                        .append(n).append(" for good?\">Remove</button></form></td></tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("</section><section class=\"card narrow-left\" id=\"create-user\"><h2>New user or application</h2>")
                .append("<form method=\"post\" action=\"/security/users/create\" id=\"create-user-form\">")
                .append(Html.csrf(r.session()))
                .append("<label>Name").append(fieldError(a, "name")).append("<input name=\"name\" id=\"new-name\" maxlength=\"64\"")
                .append(invalid(a, "name")).append(" value=\"").append(esc(a.outcome() != null && !a.outcome().ok()
                        ? r.req().getParameter("name") : "")).append("\"></label>")
                .append("<fieldset><legend>Roles</legend>").append(fieldError(a, "roles"));
        // After a refused form the roles stay as they were chosen (passwords are never sent back).
        List<String> chosen = a.outcome() != null && !a.outcome().ok() ? roles(r) : List.of();
        for (String role : Roles.ALL) {
            b.append("<label class=\"check\"><input type=\"checkbox\" name=\"roles\" value=\"").append(role).append("\" id=\"new-role-")
                    .append(role).append('"').append(chosen.contains(role) ? " checked" : "").append("> ").append(role)
                    .append("</label>");
        }
        b.append("</fieldset><label class=\"check\"><input type=\"checkbox\" name=\"application\" value=\"true\" id=\"new-application\">"
                + " Application (no password; logs in by certificate)</label>")
                .append("<label>Password").append(fieldError(a, "password"))
                .append("<input type=\"password\" name=\"password\" id=\"new-password\" autocomplete=\"new-password\" maxlength=\"256\"")
                .append(invalid(a, "password")).append("></label>")
                .append("<label>Repeat the password").append(fieldError(a, "repeat"))
                .append("<input type=\"password\" name=\"repeat\" id=\"new-repeat\" autocomplete=\"new-password\" maxlength=\"256\"")
                .append(invalid(a, "repeat")).append("></label>")
                .append("<label class=\"check\"><input type=\"checkbox\" name=\"oneTime\" value=\"true\" id=\"new-one-time\" checked>"
                        + " One-time password: the user must choose a new one at the first login</label>")
                .append("<button type=\"submit\" id=\"create-user-submit\">Create</button></form>")
                .append("<p class=\"hint\">Passwords: at least 12 characters, not the user name, not a common password. "
                        + "You cannot remove, disable or take SecurityAdmin from yourself, and the last enabled "
                        + "SecurityAdmin cannot be removed or disabled.</p></section>");
        r.html(a.outcome() == null ? 200 : a.outcome().status(), Html.page("Security", r.session(), b.toString()));
    }

    void createUser(Request r) throws IOException {
        boolean application = "true".equals(r.req().getParameter("application"));
        String password = r.req().getParameter("password");
        usersPage(r, new Answer(actions.createUser(caller(r), r.req().getParameter("name"), roles(r), application
                && (password == null || password.isEmpty()) ? null : password, application ? null
                        : r.req().getParameter("repeat"), "true".equals(r.req().getParameter("oneTime")), application), null));
    }

    void setRoles(Request r) throws IOException {
        usersPage(r, new Answer(actions.setRoles(caller(r), r.req().getParameter("name"), roles(r)), null));
    }

    void userState(Request r) throws IOException {
        String op = r.req().getParameter("operation");
        if ("reset-password".equals(op)) {
            Outcome o = actions.resetPassword(caller(r), r.req().getParameter("name"));
            usersPage(r, new Answer(o, o.ok() ? (String) o.data() : null));
            return;
        }
        usersPage(r, new Answer(actions.userState(caller(r), r.req().getParameter("name"), op), null));
    }

    private static List<String> roles(Request r) {
        String[] v = r.req().getParameterValues("roles");
        return v == null ? List.of() : Arrays.asList(v);
    }

    // ------------------------------------------------------------------ policy

    void policy(Request r) throws IOException {
        Answer a = Answer.NONE;
        if (r.req().getParameter("identity") != null) {
            a = new Answer(actions.preview(caller(r), r.req().getParameter("identity"), r.req().getParameter("action"),
                    r.req().getParameter("resource"), r.req().getParameter("channel"), r.req().getParameter("value")), null);
        }
        policyPage(r, a, null);
    }

    void changeAccess(Request r) throws IOException {
        String text = r.req().getParameter("access");
        Outcome o = actions.changeAccess(caller(r), text == null ? null : text.replace("\r\n", "\n"),
                r.req().getParameter("hash"));
        policyPage(r, new Answer(o, null), o.ok() ? null : text);
    }

    private void policyPage(Request r, Answer a, String editedText) throws IOException {
        Caller c = caller(r);
        if (!allowed(r, c, Action.MANAGE_POLICY, "policy.view")) {
            return;
        }
        boolean preview = a.outcome() != null && a.outcome().data() instanceof SecurityActions.Preview;
        StringBuilder b = new StringBuilder(8192);
        header(b, "/security/policy", preview ? Answer.NONE : a);
        Optional<PolicyAdmin> admin = actions.policyAdmin();
        if (admin.isEmpty()) {
            b.append("<section class=\"card\"><p class=\"hint\">The access policy is not running: everything is denied.</p></section>");
            r.html(200, Html.page("Security", r.session(), b.toString()));
            return;
        }
        PolicyVersion v = admin.get().current();
        b.append("<section class=\"card\" id=\"policy\"><h2>Rules in force</h2><p id=\"policy-version\">Version ")
                .append(v.version()).append(", applied ").append(Pages.time(v.time())).append(" by ").append(esc(v.actor()))
                .append(", SHA-256 <code>").append(esc(v.hash())).append("</code></p><p class=\"hint\">Default deny: only what "
                        + "an allow rule grants is allowed, and a matching deny rule always wins. Deny rules are listed first."
                        + "</p><table id=\"rules\"><thead><tr><th>Id</th><th>Effect</th><th>Who</th><th>Actions</th>")
                .append("<th>Resources</th><th>Conditions</th><th>Where</th></tr></thead><tbody>");
        for (PolicyRule rule : admin.get().rules()) {
            b.append("<tr data-rule=\"").append(esc(rule.id())).append("\"><td><code>").append(esc(rule.id()))
                    .append("</code></td><td class=\"").append(rule.allow() ? "ok\">allow" : "warn\">deny").append("</td><td>")
                    .append(esc(rule.role() != null ? "role " + rule.role() : "identity " + rule.identity())).append("</td><td>")
                    .append(esc(String.join(", ", rule.actions().stream().sorted().toList()))).append("</td><td>")
                    .append(esc(String.join(", ", rule.tags().isEmpty() ? rule.sections().stream().map(s -> "section " + s)
                            .toList() : rule.tags()))).append("</td><td>").append(esc(rule.conditions())).append("</td><td>")
                    .append(esc(rule.origin())).append("</td></tr>");
        }
        b.append("</tbody></table></section>");

        b.append("<section class=\"card\" id=\"preview\"><h2>What if?</h2><p class=\"hint\">Asks the policy in force what it "
                + "would decide, without doing anything (no rate-limit token is spent).</p>")
                .append("<form method=\"get\" action=\"/security/policy\" id=\"preview-form\" class=\"row\">")
                .append("<label>Identity").append(fieldError(a, "identity")).append("<input name=\"identity\" id=\"preview-identity\"")
                .append(invalid(a, "identity")).append(" value=\"").append(esc(r.req().getParameter("identity"))).append("\"></label>")
                .append("<label>Action").append(fieldError(a, "action")).append("<select name=\"action\" id=\"preview-action\">");
        for (Action act : Action.values()) {
            b.append("<option").append(act.key().equals(r.req().getParameter("action")) ? " selected" : "").append('>')
                    .append(act.key()).append("</option>");
        }
        b.append("</select></label><label>Resource").append(fieldError(a, "resource"))
                .append("<input name=\"resource\" id=\"preview-resource\" placeholder=\"device/tag or section\"")
                .append(invalid(a, "resource")).append(" value=\"").append(esc(r.req().getParameter("resource"))).append("\"></label>")
                .append("<label>Channel").append(fieldError(a, "channel")).append("<select name=\"channel\" id=\"preview-channel\">");
        for (String ch : List.of("console", "opcua", "sparkplug", "rest")) {
            b.append("<option").append(ch.equals(r.req().getParameter("channel")) ? " selected" : "").append('>').append(ch)
                    .append("</option>");
        }
        b.append("</select></label><label>Value (writes)<input name=\"value\" id=\"preview-value\" value=\"")
                .append(esc(r.req().getParameter("value"))).append("\"></label><button type=\"submit\" id=\"preview-submit\">Ask</button></form>");
        if (a.outcome() != null && (preview || a.outcome().status() == HttpServletResponse.SC_BAD_REQUEST
                && r.req().getMethod().equals("GET"))) {
            if (preview) {
                var pv = (SecurityActions.Preview) a.outcome().data();
                b.append("<p id=\"decision\" class=\"").append(pv.decision().allowed() ? "info" : "error").append("\"><strong>")
                        .append(pv.decision().allowed() ? "Allowed" : "Denied").append("</strong>")
                        .append(pv.decision().ruleId() == null ? " (no rule matched: default deny)"
                                : " by rule <code id=\"decision-rule\">" + esc(pv.decision().ruleId()) + "</code>")
                        .append(": ").append(esc(pv.decision().reason())).append(" <span class=\"hint\">(")
                        .append(esc(pv.identity())).append(" has roles ")
                        .append(esc(String.join(", ", pv.roles().stream().sorted().toList()))).append(")</span></p>");
            } else {
                b.append(Html.message("error", "error", a.outcome().text()));
            }
        }
        b.append("</section>");

        b.append("<section class=\"card\" id=\"history\"><h2>Version history</h2><table><thead><tr><th>Version</th><th>Applied</th>")
                .append("<th>By</th><th>SHA-256</th></tr></thead><tbody>");
        List<PolicyVersion> history = admin.get().history();
        for (int i = history.size() - 1; i >= 0; i--) {
            PolicyVersion h = history.get(i);
            b.append("<tr><td>").append(h.version()).append("</td><td>").append(Pages.time(h.time())).append("</td><td>")
                    .append(esc(h.actor())).append("</td><td><code>").append(esc(h.hash())).append("</code></td></tr>");
        }
        b.append("</tbody></table></section>");

        b.append("<section class=\"card\" id=\"access-section\"><h2>Edit the rules</h2>");
        Optional<AccessSection> section = actions.accessSection();
        if (section.isEmpty()) {
            b.append("<p id=\"access-readonly\">The rules come from the <code>access:</code> section of <code>cell.yaml</code> "
                    + "in the configuration directory (or the file named by <code>cellgate.policy</code>'s "
                    + "<code>policy.file</code>). Edit it there; the gateway validates the new rules and applies them only "
                    + "when they are valid (docs/policy.md). Editing here needs the configuration editor, which is not "
                    + "running.</p>");
        } else {
            b.append("<form method=\"post\" action=\"/security/policy/access\" id=\"access-form\">").append(Html.csrf(r.session()))
                    .append("<input type=\"hidden\" name=\"hash\" value=\"").append(esc(section.get().sha256())).append("\">")
                    .append("<label>The <code>access:</code> section of cell.yaml").append(fieldError(a, "access"))
                    .append("<textarea name=\"access\" id=\"access\" rows=\"14\" spellcheck=\"false\"").append(invalid(a, "access"))
                    .append('>').append(esc(editedText != null ? editedText : section.get().text())).append("</textarea></label>");
            if (a.outcome() != null && a.outcome().data() instanceof List<?> errors && !errors.isEmpty()) {
                b.append("<ul id=\"access-errors\" class=\"error\">");
                for (Object e : errors) {
                    b.append("<li>").append(esc(e)).append("</li>");
                }
                b.append("</ul>");
            }
            b.append("<button type=\"submit\" id=\"access-save\" data-confirm=\"Apply the new access rules now?\">Validate and apply"
                    + "</button></form><p class=\"hint\">The whole cell.yaml is validated with the new section (errors name "
                    + "the line and column of cell.yaml); nothing is applied unless it is valid, and the change becomes a "
                    + "snapshot.</p>");
        }
        b.append("</section>");
        r.html(a.outcome() == null || preview ? 200 : a.outcome().status(), Html.page("Security", r.session(), b.toString()));
    }

    // ------------------------------------------------------------------ frame

    /** The section needs its management action; without it: 403 page (the denial is audited). */
    private boolean allowed(Request r, Caller c, Action action, String what) throws IOException {
        Optional<Outcome> denied = actions.authorize(c, action, null, what);
        if (denied.isEmpty()) {
            return true;
        }
        r.html(HttpServletResponse.SC_FORBIDDEN, Html.page("Security", r.session(), "<section class=\"card narrow\">"
                + "<h1 id=\"error-title\">Not allowed</h1><p id=\"error\">" + esc(denied.get().text()) + "</p><p>The Security "
                + "pages are for users the access policy lets manage certificates, users or the policy (SecurityAdmin)."
                + "</p><p><a href=\"/\">Back to the dashboard</a></p></section>"));
        return false;
    }

    private static void header(StringBuilder b, String current, Answer a) {
        b.append("<h1>Security</h1><nav class=\"tabs\">");
        for (String[] t : TABS) {
            b.append("<a href=\"").append(t[0]).append('"').append(t[0].equals(current) ? " class=\"current\"" : "")
                    .append('>').append(t[1]).append("</a>");
        }
        b.append("</nav>");
        if (a.outcome() != null) {
            b.append(a.outcome().ok() ? Html.message("info", "message", a.outcome().text())
                    : "<p class=\"error\" id=\"error\" role=\"alert\"" + (a.outcome().field() == null ? ""
                            : " data-field=\"" + esc(a.outcome().field()) + "\"") + ">" + esc(a.outcome().text()) + "</p>");
        }
    }

    private static String fieldError(Answer a, String field) {
        if (a.outcome() == null || a.outcome().ok() || !field.equals(a.outcome().field())) {
            return "";
        }
        String text = a.outcome().text();
        String reason = text.startsWith(field + ": ") ? text.substring(field.length() + 2) : text;
        return " <span class=\"field-error\" id=\"error-" + field + "\">" + esc(reason) + "</span>";
    }

    private static String invalid(Answer a, String field) {
        return a.outcome() != null && !a.outcome().ok() && field.equals(a.outcome().field()) ? " aria-invalid=\"true\"" : "";
    }

    private static void dd(StringBuilder b, String term, String id, String value) {
        b.append("<dt>").append(esc(term)).append("</dt><dd id=\"").append(id).append("\">").append(esc(value)).append("</dd>");
    }
}
