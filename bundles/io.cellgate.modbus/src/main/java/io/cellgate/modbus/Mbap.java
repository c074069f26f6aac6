package io.cellgate.modbus;

/** Modbus TCP framing: the 7-byte MBAP header followed by the PDU. */
public final class Mbap {

    public static final int HEADER_LENGTH = 7;
    /** Largest legal MBAP length field: unit id + the largest PDU. */
    public static final int MAX_LENGTH_FIELD = 1 + Modbus.MAX_PDU;

    /**
     * A received MBAP header.
     *
     * @param transactionId transaction id 0..65535
     * @param unitId        unit id 0..255
     * @param pduLength     bytes of PDU that follow (length field - 1)
     */
    public record Header(int transactionId, int unitId, int pduLength) {
    }

    private Mbap() {
    }

    /** Builds the ADU for a request. */
    public static byte[] encode(int transactionId, int unitId, byte[] pdu) {
        if (transactionId < 0 || transactionId > 0xFFFF) {
            throw new IllegalArgumentException("transaction id " + transactionId + " outside 0..65535");
        }
        if (unitId < 0 || unitId > 255) {
            throw new IllegalArgumentException("unit id " + unitId + " outside 0..255");
        }
        if (pdu.length < 1 || pdu.length > Modbus.MAX_PDU) {
            throw new IllegalArgumentException("PDU of " + pdu.length + " bytes outside 1.." + Modbus.MAX_PDU);
        }
        byte[] adu = new byte[HEADER_LENGTH + pdu.length];
        int length = pdu.length + 1;
        adu[0] = (byte) (transactionId >> 8);
        adu[1] = (byte) transactionId;
        adu[4] = (byte) (length >> 8);
        adu[5] = (byte) length;
        adu[6] = (byte) unitId;
        System.arraycopy(pdu, 0, adu, HEADER_LENGTH, pdu.length);
        return adu;
    }

    /**
     * Parses and validates a received header: protocol id 0 and a length field of 2..254 (at least a
     * function code, at most the largest PDU). The caller reads exactly {@code pduLength} more bytes,
     * so a hostile length never makes it allocate more than 253 bytes.
     */
    public static Header parseHeader(byte[] header) throws ModbusProtocolException {
        if (header.length < HEADER_LENGTH) {
            throw new ModbusProtocolException("truncated MBAP header of " + header.length + " bytes");
        }
        int tid = ((header[0] & 0xFF) << 8) | (header[1] & 0xFF);
        int protocol = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
        int length = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
        int unit = header[6] & 0xFF;
        if (protocol != 0) {
            throw new ModbusProtocolException("MBAP protocol id " + protocol + ", expected 0 (transaction " + tid + ")");
        }
        if (length < 2 || length > MAX_LENGTH_FIELD) {
            throw new ModbusProtocolException("MBAP length " + length + " outside 2.." + MAX_LENGTH_FIELD
                    + " (transaction " + tid + ")");
        }
        return new Header(tid, unit, length - 1);
    }
}
