package io.cellgate.boundary.internal;

import java.util.List;

/** The ruleset cannot be generated; every problem found, each naming what and where. */
final class BoundaryException extends Exception {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    BoundaryException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    List<String> problems() {
        return problems;
    }
}
