/** The tag model: paths, data types, quality and values. */
@Version("1.0.0")
@Export
package io.cellgate.api.tag;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
