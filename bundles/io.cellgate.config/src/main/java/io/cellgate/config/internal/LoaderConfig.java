package io.cellgate.config.internal;

import io.cellgate.api.config.ConfigKeys;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = ConfigKeys.LOADER_PID, name = "CellGate configuration loader",
        description = "Loads cell.yaml and the device profiles from a directory, validates them and turns them "
                + "into the cellgate.cell and cellgate.device configurations; re-applies on change.")
@interface LoaderConfig {

    @AttributeDefinition(name = "Configuration directory",
            description = "Absolute path of the directory that holds cell.yaml (and usually profiles/).")
    String directory();

    @AttributeDefinition(name = "Watch interval (ms)", min = "0",
            description = "How often the files are checked for changes; 0 turns watching off.")
    long watch_interval() default 2000;
}
