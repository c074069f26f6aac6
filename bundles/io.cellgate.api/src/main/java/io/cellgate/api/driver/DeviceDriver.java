package io.cellgate.api.driver;

import io.cellgate.api.config.DeviceConfig;
import io.cellgate.api.config.DeviceProfile;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A southbound protocol. Registered as an OSGi service with the property {@value #PROTOCOL_PROPERTY}
 * listing the endpoint protocols it serves. Drivers start no threads: the core's poller calls
 * {@link DeviceSession#poll(String)} on its own threads.
 */
@ConsumerType
public interface DeviceDriver {

    /** Service property: the protocols (String or String[]) the driver serves, e.g. {@code modbus-tcp}. */
    String PROTOCOL_PROPERTY = "cellgate.protocol";

    /** The protocols this driver serves. */
    Set<String> protocols();

    /**
     * Prepares a device: validates it against the driver's limits and plans its reads. Does no I/O
     * (connections are made lazily by the first poll).
     *
     * @throws DriverConfigException when the device or its profile cannot be served, saying what and where
     */
    DeviceSession open(DeviceConfig device, DeviceProfile profile) throws DriverConfigException;
}
