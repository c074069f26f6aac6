package io.cellgate.config.internal;

import io.cellgate.api.config.DeviceProfile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers. */
final class Hashes {

    private Hashes() {
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Hash of a profile's canonical content: the parsed, validated values (records print every component
     * in declaration order), so comments, key order and formatting don't count as a change.
     */
    static String profileHash(DeviceProfile profile) {
        return hex(sha256().digest(profile.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
