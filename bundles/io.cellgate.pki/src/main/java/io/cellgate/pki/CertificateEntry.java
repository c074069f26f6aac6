package io.cellgate.pki;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/**
 * One certificate file of a trust list.
 *
 * @param list           the list it is in
 * @param thumbprint     SHA-1 over the DER encoding, lower-case hex (the OPC UA thumbprint)
 * @param subject        RFC 2253 subject name
 * @param issuer         RFC 2253 issuer name
 * @param notBefore      start of validity
 * @param notAfter       end of validity
 * @param applicationUri the URI subject alternative name, if any
 * @param file           the file holding it
 * @param certificate    the certificate
 */
public record CertificateEntry(TrustList list, String thumbprint, String subject, String issuer, Instant notBefore,
        Instant notAfter, Optional<String> applicationUri, Path file, X509Certificate certificate) {
}
