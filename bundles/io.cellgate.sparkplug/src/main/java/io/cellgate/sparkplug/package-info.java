/**
 * Sparkplug B 3.0 edge-node protocol without a transport: topics, payload encoding, the session's
 * sequence numbers and metric aliases, births, data, deaths, command decoding, primary host STATE
 * handling and the persistent bdSeq. Payload classes are generated in {@code io.cellgate.sparkplug.proto}.
 */
@Version("1.0.0")
@Export
package io.cellgate.sparkplug;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
