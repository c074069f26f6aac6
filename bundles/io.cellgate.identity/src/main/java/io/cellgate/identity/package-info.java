/**
 * Who is asking: {@link io.cellgate.identity.Identity identities} with roles, the
 * {@link io.cellgate.identity.Authenticator} (passwords with lockout, X.509 user certificates), the
 * {@link io.cellgate.identity.UserAdmin} service, and the {@link io.cellgate.identity.AccessTable} that
 * decides, from the cell's role → tag-pattern rules, who may browse, read, subscribe or write which tag.
 */
@Version("1.0.0")
@Export
package io.cellgate.identity;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
