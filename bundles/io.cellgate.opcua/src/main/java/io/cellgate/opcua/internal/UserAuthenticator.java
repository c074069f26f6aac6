package io.cellgate.opcua.internal;

import java.net.InetAddress;
import java.util.Optional;

/**
 * How the server checks a user name and password: the one seam between the OPC UA server and the user
 * store. Today {@link PasswordUsers} (configured hashes, no lockout); to be replaced by the identity
 * bundle's {@code Authenticator} (lockout, roles, audit) without touching the server.
 */
interface UserAuthenticator {

    /**
     * @param user     the user name the client sent
     * @param password the password the client sent
     * @param source   the client's address, or null
     * @return the authenticated user's name, or empty when refused (the same for an unknown user and a wrong
     *         password)
     */
    Optional<String> authenticate(String user, String password, InetAddress source);
}
