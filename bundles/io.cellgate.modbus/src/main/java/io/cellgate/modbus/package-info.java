/**
 * The Modbus protocol layer: register value codec, PDU codec, MBAP and RTU framing, read planner.
 * Pure functions and values; no I/O and no threads.
 */
@Version("1.0.0")
@Export
package io.cellgate.modbus;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
