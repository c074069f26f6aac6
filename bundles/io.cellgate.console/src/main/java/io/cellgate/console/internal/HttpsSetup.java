package io.cellgate.console.internal;

import io.cellgate.api.config.ConfigKeys;
import io.cellgate.identity.UserAdmin;
import io.cellgate.identity.UserInfo;
import io.cellgate.pki.GatewayPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Felix HTTP into the console's HTTPS server: writes the gateway key and certificate from the PKI into
 * {@code <state>/console/https.p12} (mode 0600, a fresh random password at every start) and the
 * {@code org.apache.felix.http} configuration: HTTPS only, TLS 1.2 and 1.3 with AEAD cipher suites, no plain HTTP
 * connector at all. Felix HTTP takes only a key store file, which is why the key is written out; the file is as
 * protected as the PKI's own one beside it. When Felix reports its endpoint, the URL is logged and, while the
 * admin has not yet replaced the one-time password, printed with how to log in.
 */
@Component(configurationPid = {ConfigKeys.RUNTIME_PID, ConsoleKeys.DEMO_PID, ConsoleKeys.PID},
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
public final class HttpsSetup {

    private static final Logger LOG = LoggerFactory.getLogger(HttpsSetup.class);

    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** Forward secrecy and AEAD only; the TLS 1.3 suites are all of that kind. */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private final UserAdmin users;
    private final PrintStream terminal = System.out;
    private volatile String bind = "0.0.0.0";
    private volatile String announced;

    @Activate
    public HttpsSetup(@Reference GatewayPki pki, @Reference ConfigurationAdmin configAdmin, @Reference UserAdmin users,
            BundleContext context, ConsoleConfig config, Map<String, Object> properties) throws IOException {
        this.users = users;
        if (config.state_dir().isBlank()) {
            LOG.info("console: waiting for the state directory (cellgate.runtime state.dir) before starting HTTPS");
            return;
        }
        Path dir = Path.of(config.state_dir()).resolve("console");
        char[] password = newPassword();
        try {
            Path keyStore = writeKeyStore(pki, dir, password);
            // cell.yaml's console: section (written by the configuration loader, which lists the keys it wrote) wins;
            // without it the framework properties and then the defaults apply, as before.
            List<String> fromCell = fromCellYaml(properties);
            int port = fromCell.contains("port") ? config.port()
                    : intProperty(context, ConsoleKeys.PORT_PROPERTY, config.port());
            // The demo (launcher's cellgate.demo configuration) keeps the console on loopback, like its other servers.
            String bind = fromCell.contains("bind.address") ? config.bind_address()
                    : Optional.ofNullable(context.getProperty(ConsoleKeys.BIND_PROPERTY))
                            .orElse(isDemo(properties) ? "127.0.0.1" : config.bind_address());
            this.bind = bind;
            Configuration http = configAdmin.getConfiguration(ConsoleKeys.FELIX_HTTP_PID, "?");
            http.updateIfDifferent(felixProperties(port, bind, keyStore, password));
            LOG.info("console: HTTPS on {}:{} with the gateway certificate {} (expires {})", bind, port, pki.thumbprint(),
                    pki.notAfter());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** Felix's configuration: HTTPS only, strong TLS, no server header, no compression of secrets (BREACH). */
    static Dictionary<String, Object> felixProperties(int port, String bind, Path keyStore, char[] password) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put("org.apache.felix.http.enable", false);
        p.put("org.apache.felix.https.enable", true);
        p.put("org.osgi.service.http.port.secure", port);
        p.put("org.apache.felix.http.host", bind);
        p.put("org.apache.felix.https.keystore", keyStore.toString());
        p.put("org.apache.felix.https.keystore.password", new String(password));
        p.put("org.apache.felix.https.keystore.key.password", new String(password));
        p.put("org.apache.felix.https.keystore.type", "PKCS12");
        p.put("org.apache.felix.https.jetty.protocols.included", String.join(",", PROTOCOLS));
        p.put("org.apache.felix.https.jetty.ciphersuites.included", String.join(",", CIPHER_SUITES));
        p.put("org.apache.felix.https.jetty.renegotiateAllowed", false);
        p.put("org.apache.felix.https.clientcertificate", "none");
        p.put("org.apache.felix.http.jetty.sendServerHeader", false);
        p.put("org.apache.felix.jetty.gziphandler.enable", false);
        p.put("org.apache.felix.http.jetty.maxFormSize", 65536);
        return p;
    }

    private static Path writeKeyStore(GatewayPki pki, Path dir, char[] password) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path target = dir.resolve("https.p12");
        Path tmp = dir.resolve("https.p12.tmp");
        try {
            KeyStore ks = pki.keyStore(password);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, password);
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, out.toByteArray());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (GeneralSecurityException e) {
            throw new IOException("console: cannot write the HTTPS key store " + target + ": " + e.getMessage(), e);
        }
    }

    private static char[] newPassword() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b).toCharArray();
    }

    /** The keys of cellgate.console that the configuration loader wrote from cell.yaml ({@code cellgate.config.keys}). */
    static List<String> fromCellYaml(Map<String, Object> properties) {
        return properties.get("cellgate.config.keys") instanceof String[] keys ? List.of(keys) : List.of();
    }

    static int intProperty(BundleContext context, String name, int fallback) {
        String value = context.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("framework property " + name + ": '" + value + "' is not a port 0..65535");
        }
    }

    /** Felix registers its runtime with the real endpoint (also when port 0 picked one): announce it once. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        announce(properties);
    }

    void updatedRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        announce(properties);
    }

    void unbindRuntime(HttpServiceRuntime runtime) {
        announced = null;
    }

    private void announce(Map<String, Object> properties) {
        String endpoint = url(bind, endpoint(properties.get("osgi.http.endpoint")));
        if (endpoint == null || endpoint.equals(announced)) {
            return;
        }
        announced = endpoint;
        LOG.info("console: serving {}", endpoint);
        boolean firstLogin = users.user("admin").map(UserInfo::mustChangePassword).orElse(false);
        // Printed on the terminal (like the one-time password) so that the person starting the gateway sees it.
        terminal.println("CellGate console: " + endpoint
                + (firstLogin ? "  (first login: user 'admin' with the one-time password printed at the first start;"
                        + " the console then asks for a new password)" : ""));
    }

    static boolean isDemo(Map<String, Object> properties) {
        Object pids = properties.get("service.pid");
        if (pids instanceof String[] a) {
            return Arrays.asList(a).contains(ConsoleKeys.DEMO_PID);
        }
        if (pids instanceof java.util.Collection<?> c) {
            return c.contains(ConsoleKeys.DEMO_PID);
        }
        return ConsoleKeys.DEMO_PID.equals(pids);
    }

    /**
     * The URL to print: Felix lists every address when bound to all of them (the first may be an IPv6 one of some
     * interface); then the loopback URL is the one that works on the gateway itself. Null unless HTTPS.
     */
    static String url(String bind, String endpoint) {
        if (endpoint == null || !endpoint.startsWith("https:")) {
            return null;
        }
        int port = java.net.URI.create(endpoint.replaceAll("%[^\\]]*\\]", "]")).getPort();
        String host = bind.equals("0.0.0.0") || bind.equals("::") || bind.isBlank() ? "127.0.0.1"
                : bind.contains(":") ? "[" + bind + "]" : bind;
        return "https://" + host + ":" + port + "/";
    }

    static String endpoint(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof String[] a) {
            return Arrays.stream(a).filter(e -> e.startsWith("https:")).findFirst().orElse(a.length > 0 ? a[0] : null);
        }
        if (value instanceof java.util.Collection<?> c) {
            return c.stream().map(String::valueOf).filter(e -> e.startsWith("https:")).findFirst().orElse(null);
        }
        return null;
    }
}
