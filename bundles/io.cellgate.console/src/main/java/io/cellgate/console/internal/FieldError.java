package io.cellgate.console.internal;

/**
 * A refused input and why: a form field, a JSON body field, a CSV {@code row N, column C}, or a cell.yaml position.
 * Shared by the pages and their REST resources so that both answer with the same field names.
 */
record FieldError(String field, String reason) {
    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
