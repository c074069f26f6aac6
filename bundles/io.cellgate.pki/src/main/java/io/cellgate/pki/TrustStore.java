package io.cellgate.pki;

import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The trust lists, kept as files in the OPC UA Part 12 layout that Milo's {@code DefaultTrustListManager}
 * also uses: {@code trusted/certs}, {@code trusted/crl}, {@code issuers/certs}, {@code issuers/crl},
 * {@code rejected} under {@link #baseDir()}. Certificates are DER files named
 * {@code <thumbprint> [<CN>].der}; CRLs are DER or PEM files. The files are re-read on every call, so
 * changes made by the command-line tool or by hand apply at once.
 */
@ProviderType
public interface TrustStore {

    /** The PKI directory ({@code <state dir>/pki}). */
    Path baseDir();

    /** The certificates of one list, sorted by subject. Unreadable files are skipped (and logged). */
    List<CertificateEntry> list(TrustList list);

    List<X509Certificate> trustedCertificates();

    List<X509Certificate> issuerCertificates();

    List<X509Certificate> rejectedCertificates();

    List<X509CRL> trustedCrls();

    List<X509CRL> issuerCrls();

    /** Adds a certificate to a list; returns its thumbprint. Adding what is already there changes nothing. */
    String add(TrustList list, X509Certificate certificate);

    /** Adds a CRL to {@code trusted/crl} ({@link TrustList#TRUSTED}) or {@code issuers/crl} ({@link TrustList#ISSUER}). */
    void addCrl(TrustList list, X509CRL crl);

    /**
     * Moves a rejected certificate to the trusted list.
     *
     * @throws PkiException when no rejected certificate has this thumbprint
     */
    CertificateEntry trust(String thumbprint);

    /**
     * Moves a trusted certificate to the rejected list.
     *
     * @throws PkiException when no trusted certificate has this thumbprint
     */
    CertificateEntry reject(String thumbprint);

    /** Deletes the certificate from every list it is in; returns the entries removed (empty when none). */
    List<CertificateEntry> remove(String thumbprint);

    /** When a list last changed through this API (files edited by hand are not tracked). */
    Instant lastUpdate();

    /**
     * Validates a peer's certificate chain (its certificate first): chain building through the chain
     * itself, issuers and trusted certificates; signature; trust (some certificate of the chain is in
     * the trusted list); validity period of each certificate; host name (servers only, when
     * {@code hostNames} is not empty); application URI (when {@code expectedApplicationUri} is not
     * null); key usage and extended key usage; then PKIX path validation with revocation checked
     * against the CRLs of both lists (no network fetches). A chain that fails the trust check has its
     * certificate copied to {@code rejected/}.
     *
     * @param chain                  the peer's certificate followed by the issuers it sent
     * @param use                    client or server certificate
     * @param expectedApplicationUri the application URI the peer announced, or null to skip the check
     * @param hostNames              the host names or IP addresses used to reach a server; empty to skip
     */
    ValidationResult validate(List<X509Certificate> chain, CertificateUse use, String expectedApplicationUri,
            Collection<String> hostNames);
}
