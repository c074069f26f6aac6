/** The audit sink: every security-relevant decision is recorded through it. */
@Version("1.0.0")
@Export
package io.cellgate.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
