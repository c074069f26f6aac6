package io.cellgate.policy.internal;

/**
 * At most {@code count} accesses per {@code periodMillis} (a token bucket of {@code count} tokens refilled
 * continuously), counted per identity, per tag, or per identity and tag.
 */
record Rate(int count, long periodMillis, Scope scope) {

    enum Scope {
        IDENTITY, TAG, IDENTITY_TAG
    }

    Rate {
        if (count < 1 || periodMillis < 1) {
            throw new IllegalArgumentException("rate " + count + "/" + periodMillis + "ms");
        }
    }

    @Override
    public String toString() {
        String per = switch (scope) {
            case IDENTITY -> "identity";
            case TAG -> "tag";
            case IDENTITY_TAG -> "identity and tag";
        };
        return count + " per " + Durations.format(periodMillis) + " per " + per;
    }
}
