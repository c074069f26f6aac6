package io.cellgate.pki.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.bouncycastle.util.IPAddress;

import io.cellgate.pki.PkiException;

/**
 * What the gateway certificate is generated from. Validated on construction; errors name the setting.
 *
 * @param pkiDir         {@code <state dir>/pki}
 * @param cellId         the cell's id, used in the subject CN and the default application URI
 * @param organization   the subject O
 * @param applicationUri the URI subject alternative name
 * @param dnsNames       DNS subject alternative names
 * @param ipAddresses    IP address subject alternative names (literals only)
 * @param keySize        RSA modulus bits: 2048, 3072 or 4096
 * @param validityDays   validity of a generated certificate
 */
public record PkiSettings(Path pkiDir, String cellId, String organization, String applicationUri, List<String> dnsNames,
        List<String> ipAddresses, int keySize, int validityDays) {

    static final Set<Integer> KEY_SIZES = Set.of(2048, 3072, 4096);
    public static final int DEFAULT_KEY_SIZE = 2048;
    public static final int DEFAULT_VALIDITY_DAYS = 730;

    public PkiSettings {
        if (pkiDir == null) {
            throw new PkiException("cellgate.pki state.dir: not set (the runtime sets it from --state)");
        }
        if (cellId == null || !cellId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new PkiException("cellgate.pki cell.id: '" + cellId
                    + "' is not a cell id (letters, digits, '.', '_', '-', at most 64, starting with a letter or digit)");
        }
        if (organization == null || organization.isBlank()) {
            organization = "CellGate";
        }
        if (applicationUri == null || applicationUri.isBlank()) {
            applicationUri = "urn:cellgate:" + cellId;
        } else if (!applicationUri.matches("[A-Za-z][A-Za-z0-9+.-]*:\\S+")) {
            throw new PkiException("cellgate.pki application.uri: '" + applicationUri + "' is not a URI (scheme:rest, no spaces)");
        }
        dnsNames = List.copyOf(dnsNames == null || dnsNames.isEmpty() ? List.of(localHostName()) : dnsNames);
        for (String dns : dnsNames) {
            if (!dns.matches("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*")) {
                throw new PkiException("cellgate.pki dns.names: '" + dns + "' is not a DNS name");
            }
        }
        ipAddresses = List.copyOf(ipAddresses == null ? List.of() : ipAddresses);
        for (String ip : ipAddresses) {
            if (!IPAddress.isValid(ip)) {
                throw new PkiException("cellgate.pki ip.addresses: '" + ip + "' is not an IPv4 or IPv6 address");
            }
        }
        if (!KEY_SIZES.contains(keySize)) {
            throw new PkiException("cellgate.pki key.size: " + keySize + " is not one of 2048, 3072, 4096");
        }
        if (validityDays < 1 || validityDays > 3650) {
            throw new PkiException("cellgate.pki validity.days: " + validityDays + " is not between 1 and 3650");
        }
    }

    public Path ownDir() {
        return pkiDir.resolve("own");
    }

    /** The kernel's host name, read without a DNS lookup (no network in activation). */
    static String localHostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back below
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env.trim();
    }
}
