/** The validated cell configuration and device profiles, as immutable values. */
@Version("1.1.0")
@Export
package io.cellgate.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
