package io.cellgate.identity;

/** A new password breaks a password rule; {@link #getMessage()} says which, for the person who typed it. */
public final class PasswordRejectedException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** The password rules. */
    public enum Rule {
        /** At least the minimum length (12 characters by default). */
        TOO_SHORT,
        /** At most 256 characters. */
        TOO_LONG,
        /** Not the user's name (in any case). */
        EQUALS_NAME,
        /** Not one of the common passwords the gateway knows. */
        COMMON,
        /** Not the password it replaces. */
        UNCHANGED
    }

    private final Rule rule;

    public PasswordRejectedException(Rule rule, String message) {
        super(message);
        this.rule = rule;
    }

    public Rule rule() {
        return rule;
    }
}
