/** The health bundle's implementation: not exported. */
package io.cellgate.health.internal;
