package io.cellgate.identity;

import java.util.List;

/** The roles of the gateway. They are independent: holding one implies none of the others. */
public final class Roles {

    /** Browse, read and subscribe to tags (as the access table allows). */
    public static final String OBSERVER = "Observer";
    /** Write the tags the access table marks writable for operators. */
    public static final String OPERATOR = "Operator";
    /** Change the cell configuration (devices, profiles, components). */
    public static final String ENGINEER = "Engineer";
    /** Users, certificates and the access policy. */
    public static final String SECURITY_ADMIN = "SecurityAdmin";
    /** Read the audit trail. */
    public static final String AUDITOR = "Auditor";

    /** Every role, in order of the documentation; the same list the configuration bundle validates against. */
    public static final List<String> ALL = List.of(OBSERVER, OPERATOR, ENGINEER, SECURITY_ADMIN, AUDITOR);

    private Roles() {
    }
}
