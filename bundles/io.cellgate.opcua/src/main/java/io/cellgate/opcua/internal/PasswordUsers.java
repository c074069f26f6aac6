package io.cellgate.opcua.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.spec.KeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Users with salted PBKDF2-HMAC-SHA256 password hashes, as configured ({@code name:iterations:salt:hash},
 * Base64). Unknown users cost the same work as known ones, so timing does not reveal who exists.
 * First step of the user store; lockout is not here yet.
 */
final class PasswordUsers implements UserAuthenticator {

    private record Entry(int iterations, byte[] salt, byte[] hash) {
    }

    private static final Entry DUMMY = new Entry(210_000, new byte[16], new byte[32]);

    private final Map<String, Entry> users = new HashMap<>();

    PasswordUsers(String[] entries) {
        for (int i = 0; i < entries.length; i++) {
            String[] f = entries[i].split(":");
            if (f.length != 4) {
                throw new IllegalArgumentException("users[" + i + "]: expected name:iterations:salt:hash, got "
                        + f.length + " fields");
            }
            try {
                int iterations = Integer.parseInt(f[1]);
                if (iterations < 10_000) {
                    throw new IllegalArgumentException("users[" + i + "] (" + f[0] + "): iterations must be >= 10000");
                }
                users.put(f[0], new Entry(iterations, Base64.getDecoder().decode(f[2]), Base64.getDecoder().decode(f[3])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("users[" + i + "] (" + f[0] + "): iterations is not a number", e);
            }
        }
    }

    @Override
    public java.util.Optional<String> authenticate(String user, String password, java.net.InetAddress source) {
        return authenticate(user, password) ? java.util.Optional.of(user) : java.util.Optional.empty();
    }

    boolean authenticate(String user, String password) {
        Entry e = users.get(user);
        boolean known = e != null;
        Entry used = known ? e : DUMMY;
        byte[] actual = hash(password, used.salt, used.iterations, used.hash.length * 8);
        return MessageDigest.isEqual(actual, used.hash) && known;
    }

    static byte[] hash(String password, byte[] salt, int iterations, int bits) {
        try {
            KeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bits);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    /** Formats a configuration entry (for tools and tests). */
    static String entry(String user, String password, byte[] salt, int iterations) {
        return user + ":" + iterations + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash(password, salt, iterations, 256));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
