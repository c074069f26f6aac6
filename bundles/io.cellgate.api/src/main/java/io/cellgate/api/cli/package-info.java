/**
 * Administration commands of the executable ({@code java -jar cellgate.jar <command> ...}): bundles register a
 * {@link io.cellgate.api.cli.CliCommand}; the runtime runs the named one instead of starting the gateway.
 * 1.1: {@link io.cellgate.api.cli.CliContext#audit()}, {@link io.cellgate.api.cli.AuditInbox}.
 */
@Version("1.1.0")
@Export
package io.cellgate.api.cli;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
