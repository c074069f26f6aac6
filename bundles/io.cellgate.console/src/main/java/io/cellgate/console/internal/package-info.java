/** The admin console's implementation: HTTPS setup, sessions, pages and the REST API. Not exported. */
package io.cellgate.console.internal;
