package io.cellgate.boundary.internal;

import io.cellgate.api.health.FirewallReport;
import io.cellgate.api.health.FirewallReport.State;
import io.cellgate.config.CellConfigLoader;
import io.cellgate.config.LoadResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Compares the ruleset generated from the cell configuration with the running one, as listed into
 * {@code <state dir>/boundary/running.nft} by the root timer {@code cellgate-firewall-list.timer} (the gateway runs
 * unprivileged and cannot list the ruleset itself; docs/ARCHITECTURE.md). Framework-free: the component calls
 * {@link #check()}.
 */
final class FirewallDrift {

    /** Where the root timer puts the listing, under the state directory. */
    static final String LISTING = "boundary/running.nft";
    /** A listing older than this is not evidence of the running ruleset any more (the timer lists every minute). */
    static final Duration STALE = Duration.ofMinutes(5);
    /** The generated ruleset is made again at least this often even when cell.yaml did not change. */
    static final Duration REGENERATE = Duration.ofMinutes(10);

    private final Path configDir;
    private final Path listing;
    private final Clock clock;
    private final RulesetGenerator generator = new RulesetGenerator();

    FirewallDrift(Path configDir, Path stateDir, Clock clock) {
        this.configDir = configDir;
        this.listing = stateDir.resolve(LISTING);
        this.clock = clock;
    }

    Path listing() {
        return listing;
    }

    /** The generated ruleset, or why there is none. */
    private record Wanted(Ruleset ruleset, String problem) {
    }

    private Wanted wanted;
    private FileTime wantedStamp;
    private Instant wantedAt;

    /**
     * The ruleset generated from the configuration: generated again when cell.yaml changed or after
     * {@link #REGENERATE} (host names may resolve differently), not at every check.
     */
    private synchronized Wanted wanted(Instant now) {
        FileTime stamp;
        try {
            stamp = Files.getLastModifiedTime(configDir.resolve("cell.yaml"));
        } catch (IOException e) {
            stamp = null;
        }
        if (wanted != null && Objects.equals(stamp, wantedStamp) && Duration.between(wantedAt, now).compareTo(REGENERATE) < 0) {
            return wanted;
        }
        wantedStamp = stamp;
        wantedAt = now;
        wanted = generate();
        return wanted;
    }

    private Wanted generate() {
        LoadResult loaded = CellConfigLoader.load(configDir);
        if (!loaded.isValid()) {
            return new Wanted(null, "the configuration in " + configDir + " is invalid; no ruleset generated: "
                    + loaded.errorReport().strip().replace("\n", "; "));
        }
        if (loaded.firewall().isEmpty()) {
            return new Wanted(null, "cell.yaml has no firewall: section (north and south interfaces): nothing "
                    + "to compare; see docs/boundary.md");
        }
        try {
            return new Wanted(generator.generate(Cell.from(loaded), FirewallOptions.of(loaded.firewall().get())), null);
        } catch (BoundaryException e) {
            return new Wanted(null, "no ruleset generated: " + String.join("; ", e.problems()));
        } catch (IllegalArgumentException e) {
            return new Wanted(null, "no ruleset generated: " + e.getMessage());
        }
    }

    /** One comparison; never throws for what it finds, the report says it. */
    FirewallReport check() {
        Instant now = clock.instant();
        Wanted w = wanted(now);
        if (w.ruleset() == null) {
            return unknown(now, "", null, w.problem());
        }
        Ruleset wanted = w.ruleset();
        String generated = wanted.render();
        String text;
        Instant listedAt;
        try {
            listedAt = Files.getLastModifiedTime(listing).toInstant();
            text = Files.readString(listing, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return unknown(now, generated, null, "no listing of the running ruleset at " + listing + ": enable the "
                    + "root timer (systemctl enable --now cellgate-firewall-list.timer)");
        } catch (IOException e) {
            return unknown(now, generated, null, "cannot read " + listing + ": " + e.getMessage());
        }
        if (Duration.between(listedAt, now).compareTo(STALE) > 0) {
            return unknown(now, generated, listedAt, "the listing " + listing + " is from " + listedAt + ", more than "
                    + STALE.toMinutes() + " minutes ago: is cellgate-firewall-list.timer running?");
        }
        Ruleset running;
        try {
            running = Ruleset.parse(text);
        } catch (IllegalArgumentException e) {
            running = null; // no table in the listing (comments name nft's error)
        }
        if (running == null) {
            String why = text.lines().filter(l -> l.startsWith("#")).map(l -> l.substring(1).strip())
                    .reduce((a, b) -> a + " " + b).orElse("the listing is empty");
            return new FirewallReport(State.DRIFT, generated, now, listedAt,
                    List.of("table " + Ruleset.TABLE + " is not loaded"),
                    "the boundary is not enforced: table " + Ruleset.TABLE + " is not loaded (" + why + "); load it: "
                            + "cellgate firewall print --out cellgate.nft && nft -f cellgate.nft");
        }
        List<String> drift = wanted.drift(running);
        if (drift.isEmpty()) {
            return new FirewallReport(State.NO_DRIFT, generated, now, listedAt, List.of(),
                    "the running table " + Ruleset.TABLE + " matches the ruleset generated from the configuration");
        }
        return new FirewallReport(State.DRIFT, generated, now, listedAt, drift, "the running table " + Ruleset.TABLE
                + " differs from the generated ruleset (" + drift.size() + (drift.size() == 1 ? " difference" :
                " differences") + "): changed by hand, or the configuration changed and the ruleset was not loaded "
                + "again; check, then load it: cellgate firewall print --out cellgate.nft && nft -f cellgate.nft");
    }

    private static FirewallReport unknown(Instant now, String generated, Instant listedAt, String why) {
        return new FirewallReport(State.UNKNOWN, generated, now, listedAt, List.of(), why);
    }
}
