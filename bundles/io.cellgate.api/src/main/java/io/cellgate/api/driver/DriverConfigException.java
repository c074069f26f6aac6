package io.cellgate.api.driver;

/** A device or profile that a driver cannot serve; the message names the device, tag and reason. */
public class DriverConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public DriverConfigException(String message) {
        super(message);
    }
}
