package io.cellgate.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = HashChainAuditSink.PID, name = "CellGate audit trail",
        description = "The hash-chained audit trail in <state dir>/audit: rotation and storage warnings.")
@interface AuditConfig {

    @AttributeDefinition(name = "State directory", required = false,
            description = "Directory holding audit/. Default: state.dir of the cellgate.runtime configuration (--state).")
    String state_dir() default "";

    @AttributeDefinition(name = "File size (MB)", min = "1", description = "A new file is started above this size.")
    int max_file_mb() default 10;

    @AttributeDefinition(name = "Free disk warning (%)", min = "0", max = "100",
            description = "WARN and the health flag when less of the disk is free.")
    int warn_free_percent() default 10;

    @AttributeDefinition(name = "Trail size warning (MB)", min = "0",
            description = "WARN and the health flag when all trail files together are larger (0: never).")
    int warn_trail_mb() default 1024;
}
