/**
 * The gateway's own certificate (application instance certificate), its CSR and installation of a
 * CA-signed replacement, and the trust lists (own, trusted, issuers, rejected) with certificate
 * validation that yields a precise {@link io.cellgate.pki.Verdict}.
 */
@Version("1.1.0")
@Export
package io.cellgate.pki;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
