package io.cellgate.core.internal.device;

import io.cellgate.api.config.ConfigKeys;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One device of the cell ({@value ConfigKeys#DEVICE_FACTORY_PID} factory configurations, written by the
 * configuration loader). Attribute names map to the {@link ConfigKeys} properties: {@code _} is a dot.
 */
@ObjectClassDefinition(id = ConfigKeys.DEVICE_FACTORY_PID, name = "CellGate device",
        description = "A device of the cell that the gateway polls.")
@interface Config {

    @AttributeDefinition(name = "Device id",
            description = "Unique in the cell; letters, digits, _ . - (up to 64). Used in tag paths <device>/<tag>.")
    String device_id();

    @AttributeDefinition(name = "Name", description = "Display name.", required = false)
    String device_name() default "";

    @AttributeDefinition(name = "Profile", description = "Id of the device profile (register map) the device uses.")
    String profile();

    @AttributeDefinition(name = "Profile hash",
            description = "SHA-256 of the profile's content; set by the loader so a profile edit reconfigures the device.",
            required = false)
    String profile_hash() default "";

    @AttributeDefinition(name = "Enabled",
            description = "A disabled device stays configured but is not polled; its tags are Bad (device disabled).")
    boolean enabled() default true;

    @AttributeDefinition(name = "Protocol", description = "How the device is reached.",
            options = {
                @Option(value = "modbus-tcp", label = "Modbus TCP"),
                @Option(value = "modbus-rtu", label = "Modbus RTU (serial line)"),
                @Option(value = "modbus-rtu-over-tcp", label = "Modbus RTU over TCP (serial gateway)")
            })
    String protocol() default "modbus-tcp";

    @AttributeDefinition(name = "Host", description = "Host name or IP address (TCP protocols).", required = false)
    String host() default "";

    @AttributeDefinition(name = "Port", description = "TCP port (TCP protocols).", min = "1", max = "65535")
    int port() default 502;

    @AttributeDefinition(name = "Serial port", description = "Serial device, e.g. /dev/ttyUSB0 (RTU).",
            required = false)
    String serial_port() default "";

    @AttributeDefinition(name = "Baud rate", description = "Serial baud rate (RTU).",
            options = {
                @Option(value = "9600", label = "9600"), @Option(value = "19200", label = "19200"),
                @Option(value = "38400", label = "38400"), @Option(value = "57600", label = "57600"),
                @Option(value = "115200", label = "115200")
            })
    int serial_baudRate() default 19200;

    @AttributeDefinition(name = "Parity", description = "Serial parity (RTU).",
            options = {
                @Option(value = "none", label = "None"), @Option(value = "even", label = "Even"),
                @Option(value = "odd", label = "Odd")
            })
    String serial_parity() default "even";

    @AttributeDefinition(name = "Data bits", description = "Serial data bits (RTU).",
            options = {@Option(value = "7", label = "7"), @Option(value = "8", label = "8")})
    int serial_dataBits() default 8;

    @AttributeDefinition(name = "Stop bits", description = "Serial stop bits (RTU).",
            options = {@Option(value = "1", label = "1"), @Option(value = "2", label = "2")})
    int serial_stopBits() default 1;

    @AttributeDefinition(name = "Unit id", description = "Modbus unit (slave) id: 0..255, 1..247 on serial lines.",
            min = "0", max = "255")
    int unit_id() default 1;

    @AttributeDefinition(name = "Poll groups",
            description = "Named poll intervals as name=milliseconds, e.g. fast=500. Profile tags refer to them by name.")
    String[] poll_groups() default {"default=1000"};

    @AttributeDefinition(name = "Timeout (ms)", description = "Response timeout per request.", min = "1")
    long timeout_ms() default 1000;

    @AttributeDefinition(name = "Retries", description = "Retries of a failed request before the poll fails.",
            min = "0", max = "10")
    int retries() default 1;

    @AttributeDefinition(name = "Minimum gap (ms)", description = "Pause between two requests to this device.",
            min = "0")
    long min_gap_ms() default 0;

    @AttributeDefinition(name = "Max outstanding", description = "Requests in flight at once to this device.",
            min = "1", max = "16")
    int max_outstanding() default 1;

    @AttributeDefinition(name = "Max gap",
            description = "Registers the read planner may read and discard to join two blocks into one request.",
            min = "0")
    int max_gap() default 0;

    @AttributeDefinition(name = "Max registers per read", description = "Upper bound per read request (<= 125).",
            min = "1", max = "125")
    int max_registers_per_read() default 125;

}
