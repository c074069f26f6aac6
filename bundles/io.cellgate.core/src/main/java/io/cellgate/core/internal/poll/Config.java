package io.cellgate.core.internal.poll;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = PollScheduler.PID, name = "CellGate poll scheduler",
        description = "The shared threads that poll every device of the cell.")
@interface Config {

    @AttributeDefinition(name = "Core worker threads",
            description = "Poll threads kept alive. 0 = automatic: max(4, 2 x CPU cores).", min = "0")
    int core_threads() default 0;

    @AttributeDefinition(name = "Maximum worker threads",
            description = "Upper bound of poll threads. A device uses at most one thread at a time, so as long as "
                    + "the cell has fewer devices than this, a silent device can never delay another one.",
            min = "1")
    int max_threads() default 256;
}
