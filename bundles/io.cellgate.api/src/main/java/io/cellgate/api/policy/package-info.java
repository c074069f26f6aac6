/**
 * The zero-trust access policy: one {@link io.cellgate.api.policy.AccessPolicy} decides every northbound
 * access (who, what, on which resource, under which circumstances), default deny, and every
 * {@link io.cellgate.api.policy.Decision} says why.
 */
@Version("1.3.0")
@Export
package io.cellgate.api.policy;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
