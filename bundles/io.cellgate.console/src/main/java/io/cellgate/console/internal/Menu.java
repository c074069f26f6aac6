package io.cellgate.console.internal;

import io.cellgate.api.policy.Action;
import io.cellgate.api.policy.Resource;
import io.cellgate.identity.Identity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The menu entries one user may use, decided by the same policy previews the pages make (side-effect free, not
 * audited). Only a convenience: every page still decides on its own. {@link ConsoleServlet} computes the menu once per
 * page request and {@link Html#page} reads it from {@link #CURRENT}; the servlet container gives each request its own
 * thread, and the value is removed when the request ends.
 */
final class Menu {

    /** The menu of the page request this thread renders; null outside one (then {@link Html#NAV} is shown). */
    private static final ThreadLocal<List<Map.Entry<String, String>>> CURRENT = new ThreadLocal<>();

    /** The Security tabs in order, each with the permission its page asks for. */
    private static final List<Map.Entry<String, Action>> SECURITY_TABS = List.of(
            Map.entry("/security", Action.MANAGE_CERTIFICATES),
            Map.entry("/security/users", Action.MANAGE_USERS),
            Map.entry("/security/policy", Action.MANAGE_POLICY));

    private Menu() {
    }

    /**
     * The entries of {@link Html#NAV} that {@code who} may open. Security links to the first tab the user may open.
     * Dashboard, Health, Devices and Components are for everyone logged in (read-only where the policy refuses changes).
     */
    static List<Map.Entry<String, String>> visible(Guard guard, Identity who, String source) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (var item : Html.NAV) {
            switch (item.getKey()) {
                case "/security" -> firstSecurityTab(guard, who, source)
                        .ifPresent(path -> out.add(Map.entry(path, item.getValue())));
                case "/audit" -> {
                    if (guard.mayReadAudit(who, ConsoleKeys.CHANNEL_CONSOLE, source)) {
                        out.add(item);
                    }
                }
                case "/snapshots" -> {
                    if (mayViewSnapshots(guard, who, source)) {
                        out.add(item);
                    }
                }
                default -> out.add(item);
            }
        }
        return List.copyOf(out);
    }

    private static java.util.Optional<String> firstSecurityTab(Guard guard, Identity who, String source) {
        for (var tab : SECURITY_TABS) {
            if (guard.allows(who, tab.getValue(), SecurityActions.resourceFor(tab.getValue(), null),
                    ConsoleKeys.CHANNEL_CONSOLE, source)) {
                return java.util.Optional.of(tab.getKey());
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Reading snapshots (the cell's configuration and its history): for those who may configure some part of it or
     * read the audit trail. The Snapshots page asks the same.
     */
    static boolean mayViewSnapshots(Guard guard, Identity who, String source) {
        String ch = ConsoleKeys.CHANNEL_CONSOLE;
        return guard.allows(who, Action.CONFIGURE, Resource.section("cell"), ch, source)
                || guard.allows(who, Action.CONFIGURE, Resource.section("firewall"), ch, source)
                || guard.allows(who, Action.MANAGE_POLICY, Resource.section("access"), ch, source)
                || guard.mayReadAudit(who, ch, source);
    }

    /** The menu {@link Html#page} shows now: this request's, or every entry outside a page request. */
    static List<Map.Entry<String, String>> current() {
        List<Map.Entry<String, String>> m = CURRENT.get();
        return m == null ? Html.NAV : m;
    }

    /** Runs {@code handler} with {@code menu} as this thread's menu, and removes it afterwards. */
    static void during(List<Map.Entry<String, String>> menu, ConsoleServlet.Handler handler, ConsoleServlet.Request r)
            throws java.io.IOException {
        CURRENT.set(menu);
        try {
            handler.handle(r);
        } finally {
            CURRENT.remove();
        }
    }
}
