package io.cellgate.opcua.internal;

import io.cellgate.identity.Identity;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * How the server decides who a session's user is: the one seam between the OPC UA server and the user
 * store ({@link IdentityUsers}, over the identity bundle). Every refusal is the same empty answer, whatever
 * the cause, so that a client cannot tell an unknown user from a wrong password or a locked one.
 */
interface UserAuthenticator {

    /**
     * @param user     the user name the client sent
     * @param password the password the client sent
     * @param source   the client's address, or null
     * @return the user's identity (name and roles), or empty when refused
     */
    Optional<Identity> authenticate(String user, String password, InetAddress source);

    /**
     * An X.509 user identity token whose signature Milo has verified (proof of possession).
     *
     * @param chain  the user certificate (first) and any issuers the client sent
     * @param source the client's address, or null
     * @return the identity the certificate is mapped to, or empty when refused
     */
    Optional<Identity> authenticate(List<X509Certificate> chain, InetAddress source);
}
