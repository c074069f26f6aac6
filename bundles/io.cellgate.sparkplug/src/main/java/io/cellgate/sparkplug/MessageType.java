package io.cellgate.sparkplug;

/** Sparkplug B message types, as they appear in the topic. */
public enum MessageType {
    NBIRTH, NDEATH, DBIRTH, DDEATH, NDATA, DDATA, NCMD, DCMD, STATE;

    /** True for the types whose topic ends with a device id. */
    public boolean isDeviceLevel() {
        return this == DBIRTH || this == DDEATH || this == DDATA || this == DCMD;
    }

    /** True for the types that carry a seq number (every edge-node message except NDEATH). */
    public boolean carriesSeq() {
        return this == NBIRTH || this == DBIRTH || this == DDEATH || this == NDATA || this == DDATA;
    }

    /** MQTT QoS the specification requires for this type: 1 for the NDEATH Will and STATE, else 0. */
    public int specQos() {
        return this == NDEATH || this == STATE ? 1 : 0;
    }

    /** Only STATE messages are retained. */
    public boolean specRetain() {
        return this == STATE;
    }
}
