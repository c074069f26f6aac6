package io.cellgate.api.config;

/**
 * Where and how a device is reached.
 *
 * @param protocol  {@code modbus-tcp}, {@code modbus-rtu} (serial line) or {@code modbus-rtu-over-tcp}
 * @param host      host or IP for TCP protocols, else null
 * @param port      TCP port, else 0
 * @param serialPort serial device path (e.g. /dev/ttyUSB0) for RTU, else null
 * @param baudRate  serial baud rate, else 0
 * @param parity    {@code none}, {@code even} or {@code odd} for RTU, else null
 * @param dataBits  serial data bits (7 or 8), else 0
 * @param stopBits  serial stop bits (1 or 2), else 0
 */
public record Endpoint(String protocol, String host, int port, String serialPort, int baudRate, String parity,
        int dataBits, int stopBits) {

    public static final String MODBUS_TCP = "modbus-tcp";
    public static final String MODBUS_RTU = "modbus-rtu";
    public static final String MODBUS_RTU_OVER_TCP = "modbus-rtu-over-tcp";

    /** A key that is equal for devices sharing one physical channel (TCP gateway or serial line). */
    public String channelKey() {
        return serialPort != null ? protocol + ":" + serialPort : protocol + "://" + host + ":" + port;
    }
}
