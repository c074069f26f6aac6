package io.cellgate.health.internal;

import io.cellgate.api.health.HealthMetric;
import io.cellgate.api.health.MetricType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Days until every other certificate the gateway depends on expires: the PKI's trusted and issuer certificates (client
 * applications and their CAs), the broker CA file of the MQTT session, the CA file and client key store of the syslog
 * forwarding. One metric per certificate, {@code Health/Certificates/<use> <CN>/Expiry Days}, which the
 * {@code certificate.expiry} alarm watches. The files and lists are read at most every {@code refresh} (days change
 * once a day) or when the configured files change; the days are computed at every sample.
 */
final class CertificateMetrics implements MetricSource {

    private static final Logger LOG = LoggerFactory.getLogger(CertificateMetrics.class);
    static final String PREFIX = "Health/Certificates/";
    static final String EXPIRY = "Expiry Days";
    private static final MetricDef DAYS = MetricDef.gauge(EXPIRY, "cellgate_certificate_expiry_days", MetricType.INT64,
            "days", "Whole days until the certificate expires, negative once expired (unknown: the file cannot be read).");

    /**
     * A file with certificates: PEM or DER, or a PKCS#12 key store when {@code password} is not null (asked only when
     * the file is read).
     */
    record CertFile(String use, Path file, Supplier<char[]> password) {
    }

    /** Where the certificates come from; each call may do I/O (it is called at most every refresh). */
    interface Sources {
        /** The PKI's trusted certificates (empty without a PKI). */
        Collection<X509Certificate> trusted();

        /** The PKI's issuer certificates. */
        Collection<X509Certificate> issuers();

        /** The configured certificate files. */
        List<CertFile> files();
    }

    /** A certificate found, or a file that could not be read (notAfter null). */
    private record Found(String name, Instant notAfter) {
    }

    private final Clock clock;
    private final Sources sources;
    private final Duration refresh;
    private List<Found> found = List.of();
    private Instant readAt;
    private List<String> filesKey = List.of();

    CertificateMetrics(Clock clock, Sources sources, Duration refresh) {
        this.clock = clock;
        this.sources = sources;
        this.refresh = refresh;
    }

    @Override
    public synchronized List<HealthMetric> collect() {
        Instant now = clock.instant();
        List<CertFile> files = sources.files();
        List<String> key = files.stream().map(f -> f.use() + "=" + f.file()).toList();
        if (readAt == null || !key.equals(filesKey) || Duration.between(readAt, now).compareTo(refresh) >= 0) {
            found = read(files);
            filesKey = key;
            readAt = now;
        }
        List<HealthMetric> out = new ArrayList<>();
        for (Found f : found) {
            Long days = f.notAfter() == null ? null : Math.floorDiv(f.notAfter().getEpochSecond() - now.getEpochSecond(),
                    86_400L);
            out.add(DAYS.forSubject(PREFIX + f.name() + "/", "certificate", f.name()).with(days));
        }
        return out;
    }

    private List<Found> read(List<CertFile> files) {
        Map<String, Instant> byName = new LinkedHashMap<>();
        add(byName, "Trusted", safe(sources::trusted));
        add(byName, "Issuer", safe(sources::issuers));
        for (CertFile f : files) {
            try {
                add(byName, f.use(), load(f));
            } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
                LOG.warn("health: cannot read the certificates of {} ({}): {}", f.use(), f.file(), e.toString());
                byName.put(unique(byName, f.use() + " " + clean(f.file().getFileName().toString())), null);
            }
        }
        List<Found> out = new ArrayList<>();
        byName.forEach((n, t) -> out.add(new Found(n, t)));
        return List.copyOf(out);
    }

    private static Collection<X509Certificate> safe(Supplier<Collection<X509Certificate>> s) {
        try {
            Collection<X509Certificate> c = s.get();
            return c == null ? List.of() : c;
        } catch (RuntimeException e) {
            LOG.debug("health: trust list unreadable: {}", e.toString());
            return List.of();
        }
    }

    private static void add(Map<String, Instant> byName, String use, Collection<X509Certificate> certs) {
        for (X509Certificate c : certs) {
            byName.put(unique(byName, use + " " + commonName(c)), c.getNotAfter().toInstant());
        }
    }

    /** The name, or with " 2", " 3", ... when two certificates of one use have the same common name. */
    private static String unique(Map<String, Instant> byName, String name) {
        String n = name;
        for (int i = 2; byName.containsKey(n); i++) {
            n = name + " " + i;
        }
        return n;
    }

    static List<X509Certificate> load(CertFile f) throws IOException, java.security.GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        if (f.password() != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(f.file())) {
                ks.load(in, f.password().get());
            }
            for (String alias : Collections.list(ks.aliases())) {
                Certificate c = ks.getCertificate(alias);
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return out;
        }
        try (InputStream in = Files.newInputStream(f.file())) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IOException("no certificate in the file");
        }
        return out;
    }

    static String commonName(X509Certificate c) {
        try {
            for (Rdn rdn : new LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return clean(rdn.getValue().toString());
                }
            }
        } catch (InvalidNameException e) {
            // fall through to the serial number
        }
        return "serial " + c.getSerialNumber().toString(16);
    }

    /** A metric name segment: no '/' (folders), no control characters. */
    private static String clean(String s) {
        return s.replace('/', '_').replaceAll("\\p{Cntrl}", "_").strip();
    }
}
