package io.cellgate.sparkplug.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * Metric aliases of one edge node: derived from the metric's key by hashing, so the same metric gets the
 * same alias after a restart or a rebirth (a stored DATA payload stays valid), and unique by probing.
 *
 * <p>alias = the first 53 bits of SHA-256(key) (53 bits, so JavaScript hosts that turn aliases into
 * numbers stay exact), 0 skipped. On a collision with a different key (odds about n²/2^54) the next
 * candidate is SHA-256(key + NUL + attempt); which of two colliding keys keeps the plain hash then depends on
 * registration order, the only case where an alias can differ between runs.
 */
public final class AliasRegistry {

    private static final long MASK = (1L << 53) - 1;

    private final Map<String, Long> byKey = new HashMap<>();
    private final Map<Long, String> byAlias = new HashMap<>();

    /** The alias of a key, assigning it on first use. */
    public long assign(String key) {
        Long known = byKey.get(key);
        if (known != null) {
            return known;
        }
        for (int attempt = 0;; attempt++) {
            long candidate = hash(key, attempt);
            if (candidate != 0 && !byAlias.containsKey(candidate)) {
                byKey.put(key, candidate);
                byAlias.put(candidate, key);
                return candidate;
            }
        }
    }

    /** Frees a key's alias (a metric that disappeared in a new DBIRTH). */
    public void release(String key) {
        Long alias = byKey.remove(key);
        if (alias != null) {
            byAlias.remove(alias);
        }
    }

    public int size() {
        return byKey.size();
    }

    /** The candidate alias of a key at a probing attempt. */
    public static long hash(String key, int attempt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] d = sha.digest((attempt == 0 ? key : key + '\0' + attempt).getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (d[i] & 0xFF);
            }
            return (v >>> 11) & MASK;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
