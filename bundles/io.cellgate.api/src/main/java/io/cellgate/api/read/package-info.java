/** Reading a tag from its device on demand (the console's "test read"): read-only, through the device's session. */
@Version("1.0.0")
@Export
package io.cellgate.api.read;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
