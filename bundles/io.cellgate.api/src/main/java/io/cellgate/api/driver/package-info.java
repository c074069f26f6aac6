/** The driver SPI: what a southbound protocol implements; the core schedules it. */
@Version("1.1.0")
@Export
package io.cellgate.api.driver;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
