/**
 * A durable store-and-forward outbox for opaque records: {@link io.cellgate.outbox.Outbox#append}
 * returns only once the record is on stable storage, entries are read in sequence order and removed
 * when acknowledged in any order. Bounded by bytes and by age with an {@link
 * io.cellgate.outbox.OverflowPolicy}. Open one with {@link io.cellgate.outbox.Outboxes#open}.
 */
@Version("1.1.0")
@Export
package io.cellgate.outbox;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
