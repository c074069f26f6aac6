package io.cellgate.api.driver;

import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The counters of a driver's open sessions, for health reporting. Registered by a driver beside its
 * {@link DeviceDriver}, so that health reads them without going through the poller (which keeps only totals on the
 * tag bus). Since 1.1.
 */
@ProviderType
public interface DriverStatistics {

    /** The counters of every open session by device id (a device reconfigured gets a new session: counters restart). */
    Map<String, SessionStats> sessions();
}
