/**
 * Loading, validating and applying the cell configuration (cell.yaml and device profiles).
 * {@link io.cellgate.config.CellConfigLoader} works without a framework (tests, tools);
 * {@link io.cellgate.config.ConfigurationService} is the running gateway's entry point.
 */
@Version("1.8.0")
@Export
package io.cellgate.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
