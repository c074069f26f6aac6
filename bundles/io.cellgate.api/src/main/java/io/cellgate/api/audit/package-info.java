/**
 * The audit sink: every security-relevant decision is recorded through it. {@link io.cellgate.api.audit.AuditQuery}
 * reads the recorded trail back (filters, paging, export as stored, the trail's status and summary for health).
 * 1.1: {@link io.cellgate.api.audit.AuditSink#writable()}, {@link io.cellgate.api.audit.AuditQuery#summary()}.
 */
@Version("1.1.0")
@Export
package io.cellgate.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
