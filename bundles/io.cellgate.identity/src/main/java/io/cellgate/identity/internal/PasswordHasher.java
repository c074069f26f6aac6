package io.cellgate.identity.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Slow, salted password hashes in a self-describing text form (PHC string style), so that every stored
 * hash carries its algorithm and parameters and can be verified and upgraded after the defaults change:
 * <pre>
 * $pbkdf2-sha256$i=600000,l=32$&lt;salt&gt;$&lt;hash&gt;
 * $argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;
 * </pre>
 * (salt and hash in Base64 without padding). Comparison is constant-time. Passwords are converted to
 * UTF-8 into arrays that are cleared after use; no String of a password is ever made.
 */
final class PasswordHasher {

    static final String PBKDF2 = "pbkdf2-sha256";
    static final String ARGON2ID = "argon2id";
    static final int SALT_BYTES = 16;
    static final int KEY_BYTES = 32;

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final String algorithm;
    private final int pbkdf2Iterations;
    private final int argon2MemoryKib;
    private final int argon2Iterations;
    private final int argon2Parallelism;
    private final SecureRandom random;
    /** A hash of a random password with the current parameters: verified for unknown users (same work). */
    private final String dummy;

    PasswordHasher(String algorithm, int pbkdf2Iterations, int argon2MemoryKib, int argon2Iterations,
            int argon2Parallelism, SecureRandom random) {
        if (!PBKDF2.equals(algorithm) && !ARGON2ID.equals(algorithm)) {
            throw new IllegalArgumentException("hash.algorithm: '" + algorithm + "' is not " + PBKDF2 + " or " + ARGON2ID);
        }
        this.algorithm = algorithm;
        this.pbkdf2Iterations = pbkdf2Iterations;
        this.argon2MemoryKib = argon2MemoryKib;
        this.argon2Iterations = argon2Iterations;
        this.argon2Parallelism = argon2Parallelism;
        this.random = random;
        char[] pw = new char[24];
        for (int i = 0; i < pw.length; i++) {
            pw[i] = (char) ('a' + random.nextInt(26));
        }
        this.dummy = hash(pw);
        Arrays.fill(pw, '\0');
    }

    /** A new hash of {@code password} with a fresh salt and the current parameters. */
    String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] key = ARGON2ID.equals(algorithm)
                ? argon2(password, salt, argon2MemoryKib, argon2Iterations, argon2Parallelism, KEY_BYTES)
                : pbkdf2(password, salt, pbkdf2Iterations, KEY_BYTES);
        String params = ARGON2ID.equals(algorithm)
                ? "v=19$m=" + argon2MemoryKib + ",t=" + argon2Iterations + ",p=" + argon2Parallelism
                : "i=" + pbkdf2Iterations + ",l=" + KEY_BYTES;
        return "$" + algorithm + "$" + params + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(key);
    }

    /** Whether {@code password} matches {@code encoded}; false (never an exception) for a damaged hash. */
    boolean verify(char[] password, String encoded) {
        Parsed p = parse(encoded);
        if (p == null) {
            // Still do the work, so that a damaged entry does not answer faster.
            verify(password, dummy);
            return false;
        }
        byte[] actual = p.argon2
                ? argon2(password, p.salt, p.params.get("m"), p.params.get("t"), p.params.get("p"), p.key.length)
                : pbkdf2(password, p.salt, p.params.get("i"), p.key.length);
        boolean equal = MessageDigest.isEqual(actual, p.key);
        Arrays.fill(actual, (byte) 0);
        return equal;
    }

    /** The same work as verifying a real user's password; the answer is always false. */
    void verifyDummy(char[] password) {
        verify(password, dummy);
    }

    /** Whether {@code encoded} was made with another algorithm or weaker parameters than the current ones. */
    boolean needsRehash(String encoded) {
        Parsed p = parse(encoded);
        if (p == null) {
            return true;
        }
        if (ARGON2ID.equals(algorithm)) {
            return !p.argon2 || p.params.get("m") < argon2MemoryKib || p.params.get("t") < argon2Iterations;
        }
        return p.argon2 || p.params.get("i") < pbkdf2Iterations;
    }

    private record Parsed(boolean argon2, Map<String, Integer> params, byte[] salt, byte[] key) {
    }

    /** The parts of an encoded hash, or null when it is not one this class writes. */
    static Parsed parse(String encoded) {
        if (encoded == null) {
            return null;
        }
        String[] f = encoded.split("\\$", -1);
        try {
            if (f.length == 5 && f[0].isEmpty() && PBKDF2.equals(f[1])) {
                Map<String, Integer> params = params(f[2]);
                if (params.getOrDefault("i", 0) < 1) {
                    return null;
                }
                return new Parsed(false, params, B64D.decode(f[3]), B64D.decode(f[4]));
            }
            if (f.length == 6 && f[0].isEmpty() && ARGON2ID.equals(f[1]) && "v=19".equals(f[2])) {
                Map<String, Integer> params = params(f[3]);
                if (params.getOrDefault("m", 0) < 8 || params.getOrDefault("t", 0) < 1
                        || params.getOrDefault("p", 0) < 1) {
                    return null;
                }
                return new Parsed(true, params, B64D.decode(f[4]), B64D.decode(f[5]));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    private static Map<String, Integer> params(String s) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String kv : s.split(",")) {
            String[] p = kv.split("=", 2);
            m.put(p[0], Integer.parseInt(p[1]));
        }
        return m;
    }

    static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            // SunJCE by name: another registered provider (Bouncy Castle) must not change how chars become bytes.
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256", "SunJCE").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 of SunJCE is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

    static byte[] argon2(char[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int bytes) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(memoryKib)
                .withIterations(iterations).withParallelism(parallelism).withSalt(salt).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] pw = utf8(password);
        byte[] out = new byte[bytes];
        try {
            generator.generateBytes(pw, out);
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
        return out;
    }

    /** UTF-8 bytes of {@code chars} without a String; the caller clears them. */
    static byte[] utf8(char[] chars) {
        ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(chars));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        if (b.hasArray()) {
            Arrays.fill(b.array(), (byte) 0);
        }
        return out;
    }
}
