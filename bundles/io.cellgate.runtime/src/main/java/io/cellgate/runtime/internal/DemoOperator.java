package io.cellgate.runtime.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The demo's OPC UA operator: its password is generated at the first demo start, printed once on the
 * console (never logged), and only its salted PBKDF2 hash is kept, in a 0600 file of the state directory.
 */
final class DemoOperator {

    static final String USER = "operator";
    static final int ITERATIONS = 310_000;
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private DemoOperator() {
    }

    /**
     * @return the user entry ({@code name:iterations:salt:hash}) for the OPC UA server
     */
    static String ensure(Path stateDir, java.io.PrintStream console) throws IOException {
        Path file = stateDir.resolve("demo-operator.users");
        if (Files.isRegularFile(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        String entry = USER + ":" + ITERATIONS + ":" + Base64.getEncoder().encodeToString(salt) + ":"
                + Base64.getEncoder().encodeToString(hash(password.toString().toCharArray(), salt));
        Path tmp = Files.createTempFile(stateDir, "demo-operator", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, entry + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        console.println("""

                ======================================================================
                 Demo OPC UA user (shown once; only its hash is kept):
                   user:     %s
                   password: %s
                ======================================================================
                """.formatted(USER, password));
        return entry;
    }

    static byte[] hash(char[] password, byte[] salt) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password, salt, ITERATIONS, 256)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }
}
