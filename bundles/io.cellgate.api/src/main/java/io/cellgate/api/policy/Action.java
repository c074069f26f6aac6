package io.cellgate.api.policy;

import java.util.Locale;

/** What a subject wants to do; written in lower case in policy files ({@code read}, {@code manage_users}). */
public enum Action {
    /** See that a tag exists. */
    BROWSE(true),
    /** Read a tag's current value. */
    READ(true),
    /** Receive a tag's changes. */
    SUBSCRIBE(true),
    /** Write a tag. */
    WRITE(true),
    /** Change the cell configuration (a section such as {@code devices}, or an object in it). */
    CONFIGURE(false),
    /** Manage the gateway's certificates and trust lists. */
    MANAGE_CERTIFICATES(false),
    /** Manage users, applications and their roles. */
    MANAGE_USERS(false),
    /** Change the access policy itself. */
    MANAGE_POLICY(false),
    /** Read the audit trail. */
    READ_AUDIT(false);

    private final boolean onTags;

    Action(boolean onTags) {
        this.onTags = onTags;
    }

    /** True for the tag actions (browse, read, subscribe, write), false for the management actions. */
    public boolean onTags() {
        return onTags;
    }

    /** The name as written in policy files. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The action written {@code key} (any case), or null when there is none. */
    public static Action ofKey(String key) {
        for (Action a : values()) {
            if (a.name().equalsIgnoreCase(key.trim())) {
                return a;
            }
        }
        return null;
    }
}
