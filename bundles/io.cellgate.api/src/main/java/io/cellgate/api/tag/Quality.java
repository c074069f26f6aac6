package io.cellgate.api.tag;

/** OPC UA style quality of a value. Never faked: a value that the device did not confirm is not Good. */
public enum Quality {
    GOOD, UNCERTAIN, BAD
}
