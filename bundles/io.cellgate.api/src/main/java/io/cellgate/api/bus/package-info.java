/** The tag bus: last value per tag and a change stream (report by exception). */
@Version("1.0.0")
@Export
package io.cellgate.api.bus;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
