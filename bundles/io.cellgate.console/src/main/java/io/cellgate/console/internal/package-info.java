/**
 * The admin console's implementation. Not exported.
 * <ul>
 * <li>{@code HttpsSetup}: the PKI's key into a key store file and Felix HTTP's configuration (HTTPS only).</li>
 * <li>{@code ConsoleServlet}: the one servlet for every path: security headers, HTTPS check, origin check of POSTs,
 * sessions ({@code SessionStore}), login, logout, password change, and the {@code Route}s of the pages behind the
 * login (a new page: a {@code Route} there and, with a menu entry, a line in {@code Html.NAV}).</li>
 * <li>{@code Pages}: server-rendered HTML (escape every text with {@code Html.esc}; no inline script or style, the
 * CSP forbids them; forms carry {@code Html.csrf(session)}).</li>
 * <li>{@code Api}: the REST API under /api/v1 (described in {@code static/openapi.json}: keep it in step).</li>
 * <li>{@code Guard}: every decision is the access policy's; {@code preview} for what is only shown. Writes go
 * through {@code TagWrites} to the gateway's WriteService, never to a device.</li>
 * <li>{@code SnapshotsPage}: the Snapshots page and /api/v1/snapshots, /api/v1/config: whole-file changes through the
 * configuration editor, the policy asked per top-level section ({@code TopLevelSections}); diffs by {@code LineDiff}.</li>
 * <li>{@code Api.Endpoint}: a page's REST resources in its own class, handed to {@code Api}'s constructor; a POST body
 * through {@code Api.jsonBody} (415/413) and parse errors through {@code Json.syntaxError}, so that every endpoint
 * answers bad input the same way (ConsoleApiBadInputTest checks every documented operation).</li>
 * <li>{@code ComponentsPage}, {@code ComponentsApi}, {@code ComponentChanges}, {@code Components}: the MetaType forms
 * of the components (read-only when cell.yaml or the command line sets them).</li>
 * <li>{@code AuditTrailPage}, {@code AuditApi}, {@code AuditTrailAccess}: the audit trail (filter, pages, export,
 * verification by the audit bundle's command).</li>
 * </ul>
 */
package io.cellgate.console.internal;
