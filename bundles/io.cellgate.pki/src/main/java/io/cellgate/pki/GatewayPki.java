package io.cellgate.pki;

import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

import javax.net.ssl.KeyManager;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The gateway's application instance certificate and its trust store. Registered as a service by the
 * PKI bundle; OPC UA, MQTT and the console use it for their endpoints and peer validation.
 */
@ProviderType
public interface GatewayPki {

    /** The application URI from the certificate's subject alternative names ({@code urn:cellgate:<cell id>} by default). */
    String applicationUri();

    /** The gateway certificate followed by its issuers (length 1 while self-signed). A copy. */
    X509Certificate[] chain();

    /** {@code chain()[0]}. */
    X509Certificate certificate();

    /**
     * The certificate's private key, for stacks that need the key object itself (Milo's
     * {@code KeyPair}). Never serialise or log it; prefer {@link #keyManagers()} for TLS.
     */
    PrivateKey privateKey();

    /** Key managers over the gateway key and chain, for an {@code SSLContext} (TLS of MQTT and the console). */
    KeyManager[] keyManagers();

    /**
     * An in-memory PKCS#12 key store holding the key and chain under {@link #KEY_ALIAS}, protected by
     * the given password (chosen by the caller; the on-disk password is never handed out).
     */
    KeyStore keyStore(char[] password);

    /** Alias of the gateway entry in {@link #keyStore(char[])}. */
    String KEY_ALIAS = "cellgate";

    /** SHA-1 over the DER encoding of the certificate, lower-case hex (the OPC UA thumbprint). */
    String thumbprint();

    /** End of the certificate's validity. */
    Instant notAfter();

    /** Whole days until {@link #notAfter()}; negative once expired. For health reporting. */
    long daysUntilExpiry();

    /**
     * A PKCS#10 certificate signing request (PEM) for the gateway's current key, with the subject and
     * subject alternative names of the current certificate, for an enterprise CA.
     */
    String createCsr();

    /**
     * Installs a CA-signed certificate for the gateway's key: a PEM bundle with the gateway certificate
     * first, then its issuers in order. Refused (and nothing changed) when the certificate does not
     * match the key, the chain is out of order, a certificate is outside its validity period, or the
     * certificate has no application URI. The key store is replaced atomically. Users of the
     * certificate (OPC UA endpoints) pick it up on their next start.
     *
     * @throws PkiException naming what is wrong
     */
    void installSignedCertificate(String pemChain);

    /** The trust lists and certificate validation. */
    TrustStore trustStore();

    /**
     * The trust lists, with their changes audited as {@code identity} (the person at the console) instead of the
     * gateway itself. A provider that cannot attribute changes returns {@link #trustStore()}.
     *
     * @since 1.1
     */
    default TrustStore trustStore(String identity) {
        return trustStore();
    }

    /**
     * {@link #installSignedCertificate(String)}, audited ({@code certificate.install}) as {@code identity}.
     *
     * @since 1.1
     */
    default void installSignedCertificate(String pemChain, String identity) {
        installSignedCertificate(pemChain);
    }
}
