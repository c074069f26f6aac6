package io.cellgate.api.write;

import io.cellgate.api.tag.TagInfo;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The hook where the access policy decides on writes. The write service denies every write while no
 * such service is registered (fail closed); an exception from the check also denies.
 */
@ConsumerType
public interface WriteAccessCheck {

    Decision check(WriteRequest request, TagInfo tag);

    /**
     * @param allowed true to let the write through
     * @param rule    the rule that decided, for the audit record
     * @param reason  why, for the audit record and the caller
     */
    record Decision(boolean allowed, String rule, String reason) {
    }
}
