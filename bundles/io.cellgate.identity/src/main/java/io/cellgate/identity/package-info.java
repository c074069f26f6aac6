/**
 * Who is asking: {@link io.cellgate.identity.Identity identities} with roles, the
 * {@link io.cellgate.identity.Authenticator} (passwords with lockout, X.509 user certificates), the
 * {@link io.cellgate.identity.UserAdmin} service. Who may do what is decided by the access policy
 * ({@code io.cellgate.api.policy}); {@code AccessTable} and {@code Permission} are deprecated (1.1.0).
 */
@Version("1.2.0")
@Export
package io.cellgate.identity;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
