package io.cellgate.bench.opcua;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The files the OPC UA benchmark gives the gateway: a cell of Modbus TCP devices whose every tag moves at
 * each simulator tick, and the state directory's user (identity/users.yaml) and trusted client certificate.
 */
final class BenchCell {

    static final String CELL_ID = "bench";
    static final int TAGS_PER_DEVICE = 250;
    /** The identity bundle's default PBKDF2 iterations: a lower count would be re-hashed at the first login. */
    static final int ITERATIONS = 600_000;

    private BenchCell() {
    }

    static String deviceId(int index) {
        return "dev%02d".formatted(index);
    }

    static String tagName(int index) {
        return "value_%03d".formatted(index);
    }

    /**
     * A cell of {@code devices} devices on 127.0.0.1:{@code basePort}+i, each with {@value #TAGS_PER_DEVICE}
     * int16 holding registers in a row (two reads of 125 per poll), polled every {@code pollMillis}. The
     * simulator animates the tags as ramps (name without a noise or counter word, min and max given) with
     * periods of 20 to 60 steps over 0..10000, so every tag changes at every tick.
     */
    static void writeCell(Path dir, int devices, long pollMillis, int basePort) throws IOException {
        Files.createDirectories(dir.resolve("profiles"));
        StringBuilder profile = new StringBuilder("""
                profile:
                  id: bench-ramps
                  vendor: CellGate
                  model: OPC UA benchmark device
                tags:
                """);
        for (int t = 0; t < TAGS_PER_DEVICE; t++) {
            profile.append("  - { name: %s, area: holding_register, address: %d, type: int16, min: 0, max: 10000 }\n"
                    .formatted(tagName(t), t));
        }
        Files.writeString(dir.resolve("profiles/bench-ramps.yaml"), profile);
        StringBuilder cell = new StringBuilder("""
                cell:
                  id: %s
                  name: OPC UA benchmark cell
                pollGroups:
                  fast: %dms
                devices:
                """.formatted(CELL_ID, pollMillis));
        for (int d = 0; d < devices; d++) {
            cell.append("""
                      - id: %s
                        profile: bench-ramps
                        endpoint: { protocol: modbus-tcp, host: 127.0.0.1, port: %d }
                        unitId: 1
                    """.formatted(deviceId(d), basePort + d));
        }
        Files.writeString(dir.resolve("cell.yaml"), cell);
    }

    /** The tag paths ({@code device/tag}) of the first {@code count} tags of the cell. */
    static List<String> tagPaths(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> deviceId(i / TAGS_PER_DEVICE) + "/" + tagName(i % TAGS_PER_DEVICE))
                .toList();
    }

    /**
     * {@code <state>/identity/users.yaml} with one user, in the identity bundle's format (PBKDF2-HMAC-SHA256,
     * its encoding), directory 0700 and file 0600 as the bundle keeps them.
     */
    static void writeUser(Path stateDir, String name, String role, char[] password) throws IOException {
        Path dir = stateDir.resolve("identity");
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = dir.resolve("users.yaml");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, """
                version: 1
                users:
                  - name: %s
                    kind: user
                    roles: [%s]
                    enabled: true
                    password: '%s'
                """.formatted(name, role, pbkdf2Hash(password, ITERATIONS)));
    }

    /** {@code $pbkdf2-sha256$i=<iterations>,l=32$<salt>$<key>}, base64 without padding. */
    static String pbkdf2Hash(char[] password, int iterations) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        try {
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password, salt, iterations, 256)).getEncoded();
            Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
            return "$pbkdf2-sha256$i=" + iterations + ",l=32$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 unavailable", e);
        }
    }

    /** The client's certificate in {@code <state>/pki/trusted/certs}, where the gateway's trust list reads it. */
    static void trust(Path stateDir, byte[] der, String fileName) throws IOException {
        var mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        Path certs = stateDir.resolve("pki/trusted/certs");
        for (Path p : List.of(stateDir.resolve("pki"), stateDir.resolve("pki/trusted"), certs)) {
            if (!Files.isDirectory(p)) {
                Files.createDirectory(p, mode);
            }
        }
        Files.write(certs.resolve(fileName), der);
    }
}
