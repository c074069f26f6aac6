/** The one write path to devices, and its access-check hook. */
@Version("1.1.0")
@Export
package io.cellgate.api.write;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
