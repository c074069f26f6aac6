package io.cellgate.policy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = PolicyComponent.PID, name = "CellGate access policy",
        description = "Where the zero-trust access policy comes from. Without a policy file, the access: section of "
                + "cell.yaml (access.yaml of cellgate.cell) is the policy, with the built-in management rules.")
@interface PolicyConfig {

    @AttributeDefinition(name = "Policy file", required = false,
            description = "A policy document (YAML, see docs/policy.md). When set, it replaces the access: section "
                    + "of cell.yaml completely. Empty: use the access: section.")
    String policy_file() default "";
}
