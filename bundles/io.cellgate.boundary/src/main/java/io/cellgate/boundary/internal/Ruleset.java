package io.cellgate.boundary.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The table {@code inet cellgate}: its chains with their hook line and rules, each rule in the form
 * {@code nft list} prints it back, so that a generated ruleset and a running one compare line by line.
 */
record Ruleset(List<String> notes, List<Chain> chains) {

    static final String TABLE = "inet cellgate";

    Ruleset {
        notes = List.copyOf(notes);
        chains = List.copyOf(chains);
    }

    /** A chain: {@code header} is its {@code type ... policy ...;} line. */
    record Chain(String name, String header, List<String> rules) {
        Chain {
            rules = List.copyOf(rules);
        }
    }

    Chain chain(String name) {
        return chains.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * The file for {@code nft -f}: the table is declared (so that deleting it cannot fail on a host without it),
     * deleted and defined again in one transaction, so chains or rules added by hand do not survive a reload and
     * no moment exists in which the host is without rules. Other tables are not touched.
     */
    String render() {
        StringBuilder s = new StringBuilder("#!/usr/sbin/nft -f\n");
        notes.forEach(n -> s.append("# ").append(n).append('\n'));
        s.append("table ").append(TABLE).append('\n');
        s.append("delete table ").append(TABLE).append('\n');
        s.append(listing());
        return s.toString();
    }

    /** The table as {@code nft list table inet cellgate} prints it. */
    String listing() {
        StringBuilder s = new StringBuilder("table ").append(TABLE).append(" {\n");
        for (int i = 0; i < chains.size(); i++) {
            Chain c = chains.get(i);
            if (i > 0) {
                s.append('\n');
            }
            s.append("\tchain ").append(c.name()).append(" {\n");
            s.append("\t\t").append(c.header()).append('\n');
            c.rules().forEach(r -> s.append("\t\t").append(r).append('\n'));
            s.append("\t}\n");
        }
        return s.append("}\n").toString();
    }

    /**
     * Reads the table out of {@code nft list table inet cellgate} output (or a rendered file): chains, their hook
     * lines and rules. Lines outside the table and comments are ignored.
     *
     * @throws IllegalArgumentException when the text holds no table inet cellgate
     */
    static Ruleset parse(String text) {
        Map<String, List<String>> rules = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> others = new ArrayList<>();
        boolean inTable = false;
        boolean found = false;
        String chain = null;
        int skipDepth = 0; // inside a set, map or other object of the table: its lines are not rules
        for (String raw : text.split("\n")) {
            String line = raw.strip().replaceAll("\\s+", " ");
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!inTable) {
                if (line.equals("table " + TABLE + " {")) {
                    inTable = true;
                    found = true;
                }
                continue;
            }
            if (skipDepth > 0) {
                skipDepth += braces(line);
                continue;
            }
            if (chain == null) {
                if (line.startsWith("chain ") && line.endsWith(" {")) {
                    chain = line.substring(6, line.length() - 2).strip();
                    rules.put(chain, new ArrayList<>());
                } else if (line.equals("}")) {
                    inTable = false;
                } else {
                    // a set, map, flowtable, counter ... nobody generated: drift, and its braces are not ours
                    others.add(line.endsWith(" {") ? line.substring(0, line.length() - 2) : line);
                    skipDepth = Math.max(0, braces(line));
                }
                continue;
            }
            if (line.equals("}")) {
                chain = null;
            } else if (line.startsWith("type ") && !headers.containsKey(chain)) {
                headers.put(chain, line);
            } else {
                rules.get(chain).add(line);
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no 'table " + TABLE + "' in the text");
        }
        List<Chain> chains = new ArrayList<>();
        rules.forEach((name, r) -> chains.add(new Chain(name, headers.getOrDefault(name, "(no hook: a regular chain)"), r)));
        return new Ruleset(others.stream().map(o -> OTHER + o).toList(), chains);
    }

    /** Marks a note of a parsed ruleset: an object of the table that is not a chain. */
    private static final String OTHER = "object: ";

    /** Opening minus closing braces outside double-quoted strings (comments). */
    private static int braces(String line) {
        int depth = 0;
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '{') {
                depth++;
            } else if (!quoted && c == '}') {
                depth--;
            }
        }
        return depth;
    }

    /**
     * What {@code running} lacks or has in excess compared with this (the generated) ruleset, one line each:
     * {@code missing in input: ...}, {@code extra in output: ...}, changed hook lines and policies, chains that
     * should not be there, and the same rules in another order (order decides in a firewall). Empty = no drift.
     */
    List<String> drift(Ruleset running) {
        List<String> d = new ArrayList<>();
        for (Chain want : chains) {
            Chain have = running.chain(want.name());
            if (have == null) {
                d.add("missing chain " + want.name() + " (" + want.header() + ")");
                continue;
            }
            if (!Objects.equals(want.header(), have.header())) {
                d.add("changed chain " + want.name() + ": running '" + have.header() + "', generated '"
                        + want.header() + "'");
            }
            List<String> extra = new ArrayList<>(have.rules());
            List<String> missing = new ArrayList<>();
            for (String r : want.rules()) {
                if (!extra.remove(r)) {
                    missing.add(r);
                }
            }
            missing.forEach(r -> d.add("missing in " + want.name() + ": " + r));
            extra.forEach(r -> d.add("extra in " + want.name() + ": " + r));
            if (missing.isEmpty() && extra.isEmpty() && !want.rules().equals(have.rules())) {
                d.add("rules of chain " + want.name() + " are in another order than generated");
            }
        }
        for (Chain have : running.chains()) {
            if (chain(have.name()) == null) {
                d.add("extra chain " + have.name() + " (" + have.header() + ", " + have.rules().size() + " rules)");
            }
        }
        running.notes().stream().filter(n -> n.startsWith(OTHER))
                .forEach(n -> d.add("extra in table: " + n.substring(OTHER.length())));
        return d;
    }
}
