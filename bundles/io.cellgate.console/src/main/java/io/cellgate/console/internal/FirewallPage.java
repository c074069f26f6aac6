package io.cellgate.console.internal;

import static io.cellgate.console.internal.Html.esc;

import io.cellgate.api.health.FirewallReport;
import io.cellgate.api.health.FirewallStatus;
import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Decision;
import io.cellgate.api.policy.Resource;
import io.cellgate.console.internal.ConsoleServlet.Request;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * {@code /security/firewall}: the nftables ruleset generated from the cell configuration and whether the running one
 * drifted from it (the boundary bundle's {@link FirewallStatus}). For those the access policy lets configure the
 * {@code firewall} section (SecurityAdmin by default): the ruleset shows the cell's boundary in detail. A refusal is
 * audited as {@code console.firewall.view}.
 */
final class FirewallPage {

    static final Resource RESOURCE = Resource.section("firewall");

    private final Supplier<FirewallStatus> firewall;
    private final Guard guard;

    FirewallPage(Supplier<FirewallStatus> firewall, Guard guard) {
        this.firewall = firewall;
        this.guard = guard;
    }

    void get(Request r) throws IOException {
        Decision d = guard.decide(r.session().identity(), Action.CONFIGURE, RESOURCE, ConsoleKeys.CHANNEL_CONSOLE,
                r.source(), null);
        if (!d.allowed()) {
            String reason = guard.denied(r.session().identity(), r.source(), "console.firewall.view", RESOURCE.name(), d);
            r.html(HttpServletResponse.SC_FORBIDDEN, Html.page("Firewall", r.session(), "<h1>Host firewall</h1>"
                    + Html.message("error", "error", "Refused: " + reason + ". The firewall is shown to users the access "
                            + "policy allows to configure the firewall section (SecurityAdmin).")));
            return;
        }
        StringBuilder b = new StringBuilder(8192).append("<h1>Host firewall</h1>")
                .append("<p><a href=\"/security\">Security</a> &gt; Firewall</p>");
        FirewallStatus s = firewall.get();
        if (s == null) {
            b.append(Html.message("error", "error", "The firewall drift check is not running (io.cellgate.boundary, "
                    + "with a configuration and a state directory)."));
            r.html(HttpServletResponse.SC_SERVICE_UNAVAILABLE, Html.page("Firewall", r.session(), b.toString()));
            return;
        }
        FirewallReport rep = s.report();
        String css = switch (rep.state()) {
            case NO_DRIFT -> "ok";
            case DRIFT -> "error";
            case UNKNOWN -> "warn";
        };
        b.append("<section class=\"card\" id=\"firewall-state\"><h2>Drift</h2><dl><dt>State</dt><dd id=\"drift-state\" ")
                .append("class=\"").append(css).append("\">").append(esc(rep.state().name().replace('_', ' ')
                        .toLowerCase(Locale.ROOT))).append("</dd><dt>What it means</dt><dd id=\"drift-explanation\">")
                .append(esc(rep.explanation())).append("</dd><dt>Checked</dt><dd id=\"drift-checked\">")
                .append(Pages.time(rep.checked())).append("</dd><dt>Running ruleset listed</dt><dd id=\"drift-listed\">")
                .append(rep.listedAt() == null ? "never" : Pages.time(rep.listedAt())).append("</dd></dl>");
        if (!rep.differences().isEmpty()) {
            b.append("<h3>Differences</h3><ul id=\"drift-differences\" class=\"errors\">");
            rep.differences().forEach(x -> b.append("<li>").append(esc(x)).append("</li>"));
            b.append("</ul>");
        }
        b.append("<p class=\"hint\">The gateway runs unprivileged: the root timer cellgate-firewall-list.timer lists the ")
                .append("running table every minute, the gateway compares it every 30 s (docs/health.md).</p></section>");
        b.append("<section class=\"card\" id=\"firewall-generated\"><h2>Generated ruleset</h2>");
        if (rep.generated().isEmpty()) {
            b.append("<p class=\"hint\">None generated (see above).</p>");
        } else {
            b.append("<p class=\"hint\">From the firewall: section of cell.yaml; load it as root with ")
                    .append("<code>cellgate firewall print --out cellgate.nft &amp;&amp; nft -f cellgate.nft</code>.</p>")
                    .append("<pre id=\"ruleset\" class=\"yaml\">").append(esc(rep.generated())).append("</pre>");
        }
        b.append("</section>");
        r.html(200, Html.page("Firewall", r.session(), b.toString()));
    }
}
