package io.cellgate.mqtt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the broker connection: only the configured protocol versions, the broker's certificate
 * validated by PKIX against the given anchors, and its host name checked (endpoint identification
 * "HTTPS", the same rules as a browser: DNS or IP subject alternative names). The client certificate
 * comes from the key managers (the gateway PKI's), for mutual TLS.
 */
public final class Tls {

    private Tls() {
    }

    /** The certificates of a PEM (or DER) file, e.g. the broker's CA. */
    public static List<X509Certificate> readCertificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : certs) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException(MqttConfig.PID + ": ca.file " + file + " holds no certificate");
            }
            return out;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(MqttConfig.PID + ": ca.file " + file + " is not readable as PEM certificates: "
                    + e.getMessage(), e);
        }
    }

    /**
     * The socket factory for the settings with the gateway PKI: trust anchors from {@code ca.file} and,
     * with {@code use.pki.trust}, the PKI's trusted list; the gateway certificate as client certificate.
     * Null when no URL uses TLS.
     */
    public static SSLSocketFactory socketFactory(MqttSettings settings, io.cellgate.pki.GatewayPki pki) {
        if (!settings.needsTls()) {
            return null;
        }
        List<X509Certificate> anchors = new ArrayList<>();
        if (settings.caFile() != null) {
            anchors.addAll(readCertificates(settings.caFile()));
        }
        if (settings.usePkiTrust()) {
            anchors.addAll(pki.trustStore().trustedCertificates());
        }
        return socketFactory(anchors, pki.keyManagers(), settings.tlsProtocols());
    }

    /**
     * A socket factory for the broker connection.
     *
     * @param trustAnchors the CA certificates the broker's certificate must chain to (not empty)
     * @param keyManagers  the client certificate and key (null or empty for none)
     * @param protocols    TLSv1.2 and/or TLSv1.3
     */
    public static SSLSocketFactory socketFactory(List<X509Certificate> trustAnchors, KeyManager[] keyManagers,
            List<String> protocols) {
        if (trustAnchors.isEmpty()) {
            throw new IllegalArgumentException(MqttConfig.PID + ": no trust anchors for the broker's certificate");
        }
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            int i = 0;
            for (X509Certificate c : trustAnchors) {
                anchors.setCertificateEntry("anchor-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers == null || keyManagers.length == 0 ? null : keyManagers, tmf.getTrustManagers(), null);
            return new Pinned(context.getSocketFactory(), protocols.toArray(String[]::new));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("TLS context for MQTT: " + e.getMessage(), e);
        }
    }

    /**
     * Sets the protocols and host name verification on every socket it makes, so neither depends on
     * Paho's options or the JVM's defaults.
     */
    private static final class Pinned extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final String[] protocols;

        Pinned(SSLSocketFactory delegate, String[] protocols) {
            this.delegate = delegate;
            this.protocols = protocols;
        }

        private Socket pin(Socket s) {
            if (s instanceof SSLSocket ssl) {
                SSLParameters p = ssl.getSSLParameters();
                p.setProtocols(protocols);
                p.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(p);
            }
            return s;
        }

        @Override public String[] getDefaultCipherSuites() { return delegate.getDefaultCipherSuites(); }
        @Override public String[] getSupportedCipherSuites() { return delegate.getSupportedCipherSuites(); }
        @Override public Socket createSocket() throws IOException { return pin(delegate.createSocket()); }
        @Override public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return pin(delegate.createSocket(s, host, port, autoClose));
        }
        @Override public Socket createSocket(String host, int port) throws IOException { return pin(delegate.createSocket(host, port)); }
        @Override public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return pin(delegate.createSocket(host, port, local, localPort));
        }
        @Override public Socket createSocket(InetAddress host, int port) throws IOException { return pin(delegate.createSocket(host, port)); }
        @Override public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort) throws IOException {
            return pin(delegate.createSocket(address, port, local, localPort));
        }
    }
}
