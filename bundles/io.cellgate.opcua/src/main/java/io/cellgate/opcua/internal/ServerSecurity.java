package io.cellgate.opcua.internal;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import org.eclipse.milo.opcua.stack.core.security.CertificateManager;

/**
 * Where the server's own certificate and its trust decisions come from. One small seam so the
 * self-signed local implementation can be replaced by the PKI bundle without touching the server.
 */
interface ServerSecurity extends AutoCloseable {

    /** The application instance certificate and key, and the trust list and validator (all optional checks). */
    CertificateManager certificateManager();

    KeyPair keyPair();

    X509Certificate certificate();

    @Override
    void close();
}
