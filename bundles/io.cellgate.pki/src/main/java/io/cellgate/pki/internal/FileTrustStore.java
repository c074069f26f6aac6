package io.cellgate.pki.internal;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidAlgorithmParameterException;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CRLException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cellgate.pki.CertificateEntry;
import io.cellgate.pki.CertificateUse;
import io.cellgate.pki.PkiException;
import io.cellgate.pki.TrustList;
import io.cellgate.pki.TrustStore;
import io.cellgate.pki.ValidationResult;
import io.cellgate.pki.Verdict;

/** The trust lists as directories (OPC UA Part 12 / Milo layout) and the validation of peer certificates. */
public final class FileTrustStore implements TrustStore {

    /** Like Milo: rejected/ holds at most this many certificates; the oldest go first. */
    static final int MAX_REJECTED = 128;
    private static final int MAX_CHAIN = 10;
    private static final String EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String EKU_ANY = "2.5.29.37.0";

    private static final Logger LOG = LoggerFactory.getLogger(FileTrustStore.class);

    private final Path baseDir;
    private final Path trustedCerts;
    private final Path trustedCrl;
    private final Path issuerCerts;
    private final Path issuerCrl;
    private final Path rejected;
    private final AtomicReference<Instant> lastUpdate = new AtomicReference<>(Instant.now());

    /** Opens the store, creating missing directories (0700). */
    public FileTrustStore(Path baseDir) throws IOException {
        this.baseDir = SecureFiles.ensureDirectory(baseDir);
        this.trustedCerts = SecureFiles.ensureDirectory(SecureFiles.ensureDirectory(baseDir.resolve("trusted")).resolve("certs"));
        this.trustedCrl = SecureFiles.ensureDirectory(baseDir.resolve("trusted").resolve("crl"));
        this.issuerCerts = SecureFiles.ensureDirectory(SecureFiles.ensureDirectory(baseDir.resolve("issuers")).resolve("certs"));
        this.issuerCrl = SecureFiles.ensureDirectory(baseDir.resolve("issuers").resolve("crl"));
        this.rejected = SecureFiles.ensureDirectory(baseDir.resolve("rejected"));
    }

    @Override
    public Path baseDir() {
        return baseDir;
    }

    private Path certDir(TrustList list) {
        return switch (list) {
            case TRUSTED -> trustedCerts;
            case ISSUER -> issuerCerts;
            case REJECTED -> rejected;
        };
    }

    private Path crlDir(TrustList list) {
        return switch (list) {
            case TRUSTED -> trustedCrl;
            case ISSUER -> issuerCrl;
            case REJECTED -> throw new PkiException("CRLs belong to the trusted or issuers list, not to rejected");
        };
    }

    @Override
    public List<CertificateEntry> list(TrustList list) {
        List<CertificateEntry> entries = new ArrayList<>();
        for (Path file : files(certDir(list))) {
            try {
                for (X509Certificate c : Certs.parseCertificates(Files.readAllBytes(file), file.toString())) {
                    entries.add(new CertificateEntry(list, Certs.thumbprint(c), c.getSubjectX500Principal().getName(),
                            c.getIssuerX500Principal().getName(), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(),
                            Certs.applicationUri(c), file, c));
                }
            } catch (IOException | PkiException e) {
                LOG.warn("Skipping {}: {}", file, e.getMessage());
            }
        }
        entries.sort(Comparator.comparing(CertificateEntry::subject).thenComparing(CertificateEntry::thumbprint));
        return entries;
    }

    private List<X509Certificate> certificates(TrustList list) {
        return list(list).stream().map(CertificateEntry::certificate).toList();
    }

    @Override
    public List<X509Certificate> trustedCertificates() {
        return certificates(TrustList.TRUSTED);
    }

    @Override
    public List<X509Certificate> issuerCertificates() {
        return certificates(TrustList.ISSUER);
    }

    @Override
    public List<X509Certificate> rejectedCertificates() {
        return certificates(TrustList.REJECTED);
    }

    @Override
    public List<X509CRL> trustedCrls() {
        return crls(trustedCrl);
    }

    @Override
    public List<X509CRL> issuerCrls() {
        return crls(issuerCrl);
    }

    private List<X509CRL> crls(Path dir) {
        List<X509CRL> crls = new ArrayList<>();
        for (Path file : files(dir)) {
            try {
                crls.addAll(Certs.parseCrls(Files.readAllBytes(file), file.toString()));
            } catch (IOException | PkiException e) {
                LOG.warn("Skipping {}: {}", file, e.getMessage());
            }
        }
        return crls;
    }

    private static List<Path> files(Path dir) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                // skip our temporary files and anything hidden
                if (Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new PkiException(dir + ": cannot list: " + e.getMessage(), e);
        }
        files.sort(Comparator.naturalOrder());
        return files;
    }

    @Override
    public synchronized String add(TrustList list, X509Certificate certificate) {
        String thumbprint = Certs.thumbprint(certificate);
        if (find(list, thumbprint).isEmpty()) {
            if (list == TrustList.REJECTED) {
                pruneRejected();
            }
            write(certDir(list).resolve(fileName(certificate)), encoded(certificate));
            touched();
        }
        return thumbprint;
    }

    @Override
    public synchronized void addCrl(TrustList list, X509CRL crl) {
        try {
            byte[] der = crl.getEncoded();
            String name = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(der)) + ".crl";
            write(crlDir(list).resolve(name), der);
            touched();
        } catch (CRLException | NoSuchAlgorithmException e) {
            throw new PkiException("cannot encode the CRL of " + crl.getIssuerX500Principal().getName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized CertificateEntry trust(String thumbprint) {
        return move(thumbprint, TrustList.REJECTED, TrustList.TRUSTED);
    }

    @Override
    public synchronized CertificateEntry reject(String thumbprint) {
        return move(thumbprint, TrustList.TRUSTED, TrustList.REJECTED);
    }

    private CertificateEntry move(String thumbprint, TrustList from, TrustList to) {
        String t = Certs.normaliseThumbprint(thumbprint);
        List<CertificateEntry> found = find(from, t);
        if (found.isEmpty()) {
            throw new PkiException("no certificate with thumbprint " + t + " in " + from.name().toLowerCase(Locale.ROOT)
                    + " (" + certDir(from) + ")");
        }
        CertificateEntry entry = found.get(0);
        add(to, entry.certificate());
        delete(entry.file());
        touched();
        LOG.info("Moved certificate {} from {} to {}", Certs.describe(entry.certificate()), from, to);
        return find(to, t).get(0);
    }

    @Override
    public synchronized List<CertificateEntry> remove(String thumbprint) {
        String t = Certs.normaliseThumbprint(thumbprint);
        List<CertificateEntry> removed = new ArrayList<>();
        for (TrustList list : TrustList.values()) {
            for (CertificateEntry e : find(list, t)) {
                delete(e.file());
                removed.add(e);
                LOG.info("Removed certificate {} from {}", Certs.describe(e.certificate()), list);
            }
        }
        if (!removed.isEmpty()) {
            touched();
        }
        return removed;
    }

    @Override
    public Instant lastUpdate() {
        // Another process (cellgate pki ...) may have changed the lists: the directories' times count too.
        Instant latest = lastUpdate.get();
        for (Path dir : List.of(trustedCerts, trustedCrl, issuerCerts, issuerCrl)) {
            try {
                Instant modified = Files.getLastModifiedTime(dir).toInstant();
                latest = modified.isAfter(latest) ? modified : latest;
            } catch (IOException e) {
                LOG.debug("cannot read the time of {}: {}", dir, e.toString());
            }
        }
        return latest;
    }

    private List<CertificateEntry> find(TrustList list, String thumbprint) {
        return list(list).stream().filter(e -> e.thumbprint().equals(thumbprint)).toList();
    }

    private void pruneRejected() {
        List<Path> files = files(rejected);
        if (files.size() < MAX_REJECTED) {
            return;
        }
        files.sort(Comparator.comparingLong(FileTrustStore::lastModified));
        for (Path p : files.subList(0, files.size() - MAX_REJECTED + 1)) {
            delete(p);
        }
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private void touched() {
        lastUpdate.set(Instant.now());
    }

    /** {@code <thumbprint> [<CN>].der}, the CN URL-encoded so that no name can leave the directory. */
    static String fileName(X509Certificate certificate) {
        String cn = URLEncoder.encode(Certs.commonName(certificate), StandardCharsets.UTF_8).replace("*", "_");
        if (cn.length() > 64) {
            cn = cn.substring(0, 64);
        }
        return Certs.thumbprint(certificate) + " [" + cn + "].der";
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new PkiException("cannot encode " + certificate.getSubjectX500Principal().getName(), e);
        }
    }

    private static void write(Path file, byte[] content) {
        try {
            SecureFiles.writeAtomically(file, content);
        } catch (IOException e) {
            throw new PkiException(file + ": cannot write: " + e.getMessage(), e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new PkiException(file + ": cannot delete: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- validation

    @Override
    public ValidationResult validate(List<X509Certificate> chain, CertificateUse use, String expectedApplicationUri,
            Collection<String> hostNames) {
        if (chain == null || chain.isEmpty()) {
            return new ValidationResult(Verdict.INVALID, "no certificate presented");
        }
        X509Certificate leaf = chain.get(0);
        List<X509Certificate> trusted = trustedCertificates();
        List<X509Certificate> candidates = new ArrayList<>(chain.subList(1, chain.size()));
        candidates.addAll(issuerCertificates());
        candidates.addAll(trusted);

        // 1. build the chain up to a self-signed root
        List<X509Certificate> path = new ArrayList<>();
        ValidationResult built = buildPath(leaf, candidates, path);
        if (built != null) {
            rejectCertificate(leaf);
            return built;
        }

        // 2. trust: some certificate of the chain is in the trusted list
        boolean isTrusted = path.stream().anyMatch(p -> trusted.stream().anyMatch(t -> Arrays.equals(encodedQuietly(t), encodedQuietly(p))));
        if (!isTrusted) {
            rejectCertificate(leaf);
            return new ValidationResult(Verdict.UNTRUSTED, Certs.describe(leaf) + " is not trusted (nor any issuer of it); copied to "
                    + rejected);
        }

        // 3. validity periods
        Date now = new Date();
        for (int i = 0; i < path.size(); i++) {
            X509Certificate c = path.get(i);
            try {
                c.checkValidity(now);
            } catch (CertificateExpiredException e) {
                return new ValidationResult(i == 0 ? Verdict.EXPIRED : Verdict.ISSUER_TIME_INVALID,
                        Certs.describe(c) + " expired on " + c.getNotAfter().toInstant());
            } catch (CertificateNotYetValidException e) {
                return new ValidationResult(i == 0 ? Verdict.NOT_YET_VALID : Verdict.ISSUER_TIME_INVALID,
                        Certs.describe(c) + " is not valid before " + c.getNotBefore().toInstant());
            }
        }

        // 4. host name (servers we connect to)
        if (use == CertificateUse.SERVER && hostNames != null && !hostNames.isEmpty()
                && hostNames.stream().noneMatch(h -> matchesHost(leaf, h))) {
            return new ValidationResult(Verdict.HOST_NAME_MISMATCH, Certs.describe(leaf) + " names neither of " + hostNames
                    + " (DNS " + Certs.subjectAltNames(leaf, Certs.SAN_DNS) + ", IP " + Certs.subjectAltNames(leaf, Certs.SAN_IP) + ")");
        }

        // 5. application URI
        if (expectedApplicationUri != null) {
            String uri = Certs.applicationUri(leaf).orElse(null);
            if (!expectedApplicationUri.equals(uri)) {
                return new ValidationResult(Verdict.APPLICATION_URI_MISMATCH, Certs.describe(leaf) + " has application URI "
                        + (uri == null ? "(none)" : "'" + uri + "'") + ", the peer announced '" + expectedApplicationUri + "'");
            }
        }

        // 6. key usage and extended key usage
        ValidationResult usage = checkUsage(path, use);
        if (usage != null) {
            return usage;
        }

        // 7. PKIX path validation with revocation against the stored CRLs
        if (path.size() > 1) {
            return pkix(path, now);
        }
        return new ValidationResult(Verdict.OK, Certs.describe(leaf) + " is trusted (self-signed)");
    }

    /** Fills {@code path} from the leaf to a self-signed root; returns the failure, or null when complete. */
    private static ValidationResult buildPath(X509Certificate leaf, List<X509Certificate> candidates, List<X509Certificate> path) {
        X509Certificate current = leaf;
        path.add(leaf);
        while (!Certs.isSelfIssued(current)) {
            X509Certificate issuer = null;
            for (X509Certificate c : candidates) {
                if (!path.contains(c) && Certs.isSignedBy(current, c)) {
                    issuer = c;
                    break;
                }
            }
            if (issuer == null) {
                X509Certificate subject = current;
                boolean namedIssuerExists = candidates.stream()
                        .anyMatch(c -> c.getSubjectX500Principal().equals(subject.getIssuerX500Principal()));
                return namedIssuerExists
                        ? new ValidationResult(Verdict.INVALID, "the signature of " + Certs.describe(current)
                                + " does not verify with the key of its issuer '" + current.getIssuerX500Principal().getName() + "'")
                        : new ValidationResult(Verdict.CHAIN_INCOMPLETE, "no issuer certificate '"
                                + current.getIssuerX500Principal().getName() + "' for " + Certs.describe(current)
                                + " in the chain sent or in the issuers or trusted lists");
            }
            if (path.size() >= MAX_CHAIN) {
                return new ValidationResult(Verdict.INVALID, "the chain of " + Certs.describe(leaf) + " is longer than " + MAX_CHAIN);
            }
            path.add(issuer);
            current = issuer;
        }
        if (!Certs.isSignedBy(current, current)) {
            return new ValidationResult(Verdict.INVALID, "the self-signature of " + Certs.describe(current) + " does not verify");
        }
        return null;
    }

    private void rejectCertificate(X509Certificate certificate) {
        try {
            add(TrustList.REJECTED, certificate);
        } catch (PkiException e) {
            LOG.warn("Could not copy {} to {}: {}", Certs.describe(certificate), rejected, e.getMessage());
        }
    }

    private static byte[] encodedQuietly(X509Certificate c) {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            return new byte[0];
        }
    }

    static boolean matchesHost(X509Certificate certificate, String host) {
        if (IPAddress.isValid(host)) {
            byte[] wanted = ipBytes(host);
            return Certs.subjectAltNames(certificate, Certs.SAN_IP).stream().anyMatch(ip -> Arrays.equals(ipBytes(ip), wanted));
        }
        String h = host.toLowerCase(Locale.ROOT);
        for (String dns : Certs.subjectAltNames(certificate, Certs.SAN_DNS)) {
            String d = dns.toLowerCase(Locale.ROOT);
            if (d.equals(h)) {
                return true;
            }
            // one wildcard label, left-most only
            if (d.startsWith("*.") && h.indexOf('.') > 0 && h.substring(h.indexOf('.')).equals(d.substring(1))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] ipBytes(String literal) {
        try {
            // a literal address: no name lookup happens
            return IPAddress.isValid(literal) ? java.net.InetAddress.getByName(literal).getAddress() : new byte[0];
        } catch (java.net.UnknownHostException e) {
            return new byte[0];
        }
    }

    /** Leaf: digitalSignature and keyEncipherment, extended key usage for the use; issuers: keyCertSign and cA. */
    private static ValidationResult checkUsage(List<X509Certificate> path, CertificateUse use) {
        X509Certificate leaf = path.get(0);
        boolean[] ku = leaf.getKeyUsage();
        if (ku == null || !ku[0] || !ku[2]) {
            return new ValidationResult(Verdict.KEY_USAGE_MISSING, Certs.describe(leaf)
                    + " lacks key usage digitalSignature or keyEncipherment");
        }
        try {
            List<String> eku = leaf.getExtendedKeyUsage();
            String wanted = use == CertificateUse.SERVER ? EKU_SERVER_AUTH : EKU_CLIENT_AUTH;
            if (eku != null && !eku.contains(wanted) && !eku.contains(EKU_ANY)) {
                return new ValidationResult(Verdict.KEY_USAGE_MISSING, Certs.describe(leaf) + " lacks extended key usage "
                        + (use == CertificateUse.SERVER ? "serverAuth" : "clientAuth"));
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return new ValidationResult(Verdict.INVALID, Certs.describe(leaf) + " has a malformed extended key usage");
        }
        for (X509Certificate ca : path.subList(1, path.size())) {
            boolean[] caKu = ca.getKeyUsage();
            if (ca.getBasicConstraints() < 0 || (caKu != null && !caKu[5])) {
                return new ValidationResult(Verdict.KEY_USAGE_MISSING, "the issuer " + Certs.describe(ca)
                        + " is not a CA certificate (basic constraints cA and key usage keyCertSign)");
            }
        }
        return null;
    }

    /** JDK PKIX validation of the built path; revocation from the stored CRLs only (no OCSP, no downloads). */
    private ValidationResult pkix(List<X509Certificate> path, Date now) {
        X509Certificate leaf = path.get(0);
        List<X509Certificate> certs = path.subList(0, path.size() - 1);
        X509Certificate root = path.get(path.size() - 1);
        try {
            List<X509CRL> crls = new ArrayList<>(trustedCrls());
            crls.addAll(issuerCrls());
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
            params.setDate(now);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            PKIXRevocationChecker revocation = (PKIXRevocationChecker) validator.getRevocationChecker();
            revocation.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK));
            params.setRevocationEnabled(true);
            params.addCertPathChecker(revocation);
            validator.validate(CertificateFactory.getInstance("X.509").generateCertPath(certs), params);
            return new ValidationResult(Verdict.OK, Certs.describe(leaf) + " is trusted (chain of " + path.size()
                    + " to " + Certs.describe(root) + ", not revoked)");
        } catch (CertPathValidatorException e) {
            int index = e.getIndex();
            X509Certificate at = index >= 0 && index < certs.size() ? certs.get(index) : leaf;
            boolean isLeaf = index <= 0;
            String detail = Certs.describe(at) + ": " + e.getMessage();
            CertPathValidatorException.Reason reason = e.getReason();
            if (reason == BasicReason.REVOKED) {
                return new ValidationResult(isLeaf ? Verdict.REVOKED : Verdict.ISSUER_REVOKED, detail);
            }
            if (reason == BasicReason.UNDETERMINED_REVOCATION_STATUS) {
                return new ValidationResult(isLeaf ? Verdict.REVOCATION_UNKNOWN : Verdict.ISSUER_REVOCATION_UNKNOWN,
                        detail + " (no valid CRL of its issuer in " + trustedCrl + " or " + issuerCrl + ")");
            }
            if (reason == BasicReason.EXPIRED) {
                return new ValidationResult(isLeaf ? Verdict.EXPIRED : Verdict.ISSUER_TIME_INVALID, detail);
            }
            if (reason == BasicReason.NOT_YET_VALID) {
                return new ValidationResult(isLeaf ? Verdict.NOT_YET_VALID : Verdict.ISSUER_TIME_INVALID, detail);
            }
            if (reason == PKIXReason.INVALID_KEY_USAGE || reason == PKIXReason.NOT_CA_CERT || reason == PKIXReason.PATH_TOO_LONG) {
                return new ValidationResult(Verdict.KEY_USAGE_MISSING, detail);
            }
            return new ValidationResult(Verdict.INVALID, detail);
        } catch (CertificateException | InvalidAlgorithmParameterException | NoSuchAlgorithmException e) {
            return new ValidationResult(Verdict.INVALID, Certs.describe(leaf) + ": " + e.getMessage());
        }
    }
}
