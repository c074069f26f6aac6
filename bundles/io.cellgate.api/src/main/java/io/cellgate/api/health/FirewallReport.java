package io.cellgate.api.health;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One comparison of the generated nftables ruleset with the running one. Since 1.1.
 *
 * @param state       the outcome
 * @param generated   the ruleset generated from the cell configuration (nft syntax), or "" when none could be
 * @param checked     when the comparison ran
 * @param listedAt    when the running ruleset was listed (the listing file's time), or null when there is none
 * @param differences what differs, one line each (empty unless {@link State#DRIFT})
 * @param explanation what the state means here and what to do, for an operator
 */
public record FirewallReport(State state, String generated, Instant checked, Instant listedAt, List<String> differences,
        String explanation) {

    /** The outcome of a comparison. */
    public enum State {
        /** The running table equals the generated ruleset. */
        NO_DRIFT,
        /** The running table differs from the generated ruleset, or is not loaded at all. */
        DRIFT,
        /** No comparison possible: no listing of the running ruleset, no firewall settings, or an error. */
        UNKNOWN
    }

    public FirewallReport {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(checked, "checked");
        generated = generated == null ? "" : generated;
        differences = differences == null ? List.of() : List.copyOf(differences);
        explanation = explanation == null ? "" : explanation;
    }
}
