package io.cellgate.console.internal;

/** HTML output: every text that is not markup goes through {@link #esc(Object)}. */
final class Html {

    /** The menu: path and label of each page that has an entry, in order. */
    static final java.util.List<java.util.Map.Entry<String, String>> NAV = java.util.List.of(
            java.util.Map.entry("/", "Dashboard"),
            java.util.Map.entry("/health", "Health"),
            java.util.Map.entry("/security", "Security"),
            java.util.Map.entry("/devices", "Devices"),
            java.util.Map.entry("/components", "Components"),
            java.util.Map.entry("/audit", "Audit"),
            java.util.Map.entry("/snapshots", "Snapshots"));

    private Html() {
    }

    /** Escapes text for element content and quoted attribute values. */
    static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** The page frame: header with the user and the logout form, then {@code body} (already HTML). */
    static String page(String title, Session session, String body) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" - CellGate</title>")
                .append("<link rel=\"stylesheet\" href=\"/static/console.css\">")
                .append("<script src=\"/static/console.js\" defer></script></head><body>")
                .append("<header><span class=\"brand\">CellGate</span>");
        if (session != null) {
            b.append("<nav>");
            // only the entries this user may use (Menu), decided once for the request
            for (var item : Menu.current()) {
                b.append("<a href=\"").append(esc(item.getKey())).append("\">").append(esc(item.getValue())).append("</a>");
            }
            b.append("</nav>")
                    .append("<span class=\"who\" id=\"who\">").append(esc(session.identity().name())).append(" (")
                    .append(esc(String.join(", ", session.identity().roles().stream().sorted().toList())))
                    .append(")</span>")
                    .append("<form method=\"post\" action=\"/logout\" class=\"inline\">").append(csrf(session))
                    .append("<button type=\"submit\" id=\"logout\">Log out</button></form>");
        }
        b.append("</header><main>").append(body).append("</main></body></html>");
        return b.toString();
    }

    static String csrf(Session session) {
        return "<input type=\"hidden\" name=\"" + ConsoleKeys.CSRF_FIELD + "\" value=\"" + esc(session.csrfToken()) + "\">";
    }

    static String message(String cssClass, String id, String text) {
        return "<p class=\"" + cssClass + "\" id=\"" + id + "\" role=\"alert\">" + esc(text) + "</p>";
    }
}
