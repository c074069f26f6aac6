package io.cellgate.opcua.internal;

import io.cellgate.identity.AuthResult;
import io.cellgate.identity.Authenticator;
import io.cellgate.identity.Identity;
import io.cellgate.pki.CertificateUse;
import io.cellgate.pki.TrustStore;
import io.cellgate.pki.ValidationResult;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users from the identity bundle: passwords through {@link Authenticator#authenticate} (lockout, per-source
 * delay and audit are the identity bundle's), X.509 user certificates validated by the PKI trust store as
 * client certificates and then mapped to a user with {@link Authenticator#forCertificate}. A user who still
 * has to change a one-time password is refused: OPC UA has no way to change it, the console does.
 */
final class IdentityUsers implements UserAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityUsers.class);

    private final Authenticator authenticator;
    private final Supplier<TrustStore> trustStore;

    IdentityUsers(Authenticator authenticator, Supplier<TrustStore> trustStore) {
        this.authenticator = authenticator;
        this.trustStore = trustStore;
    }

    @Override
    public Optional<Identity> authenticate(String user, String password, InetAddress source) {
        char[] chars = password == null ? null : password.toCharArray();
        try {
            AuthResult result = authenticator.authenticate(user, chars, address(source));
            if (!result.success()) {
                return Optional.empty();
            }
            if (result.mustChangePassword()) {
                LOG.warn("OPC UA login of '{}' from {} refused: the one-time password must first be changed in the "
                        + "console", result.identity().get().name(), address(source));
                return Optional.empty();
            }
            return result.identity();
        } catch (RuntimeException e) {
            // Fail closed, with the same answer as every other refusal.
            LOG.error("OPC UA login from {} refused: the authenticator failed: {}", address(source), e.toString());
            return Optional.empty();
        } finally {
            if (chars != null) {
                Arrays.fill(chars, '\0');
            }
        }
    }

    @Override
    public Optional<Identity> authenticate(List<X509Certificate> chain, InetAddress source) {
        try {
            // A user certificate is not an application certificate: no application URI to compare.
            ValidationResult verdict = trustStore.get().validate(chain, CertificateUse.CLIENT, null, List.of());
            if (!verdict.ok()) {
                LOG.warn("OPC UA X.509 user certificate from {} refused ({}): {}", address(source), verdict.verdict(),
                        verdict.detail());
                return Optional.empty();
            }
            Optional<Identity> identity = authenticator.forCertificate(chain.get(0), address(source));
            if (identity.isEmpty()) {
                LOG.warn("OPC UA X.509 user certificate from {} refused: mapped to no enabled user ({})",
                        address(source), chain.get(0).getSubjectX500Principal().getName());
            }
            return identity;
        } catch (RuntimeException e) {
            LOG.error("OPC UA X.509 user login from {} refused: {}", address(source), e.toString());
            return Optional.empty();
        }
    }

    private static String address(InetAddress source) {
        return source == null ? null : source.getHostAddress();
    }
}
