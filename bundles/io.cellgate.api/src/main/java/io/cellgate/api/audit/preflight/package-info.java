/**
 * Before a change that must be audited: {@link io.cellgate.api.audit.preflight.AuditPreflight} makes sure that the
 * audit sink can record it durably, and says where and why not.
 */
@Version("1.0.0")
@Export
package io.cellgate.api.audit.preflight;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
