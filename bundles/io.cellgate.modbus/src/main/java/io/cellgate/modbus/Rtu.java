package io.cellgate.modbus;

/**
 * Modbus RTU framing: unit id, PDU, CRC-16/Modbus (low byte first).
 *
 * <p>RTU has no length field; a reader knows a response is complete from the request it answers:
 * {@link #expectedFrameLength(ModbusRequest, byte[], int)} tells after 2 (exceptions, writes) or 3
 * (reads: the byte count) received bytes how long the frame is.
 */
public final class Rtu {

    public static final int MAX_FRAME = 256;

    private Rtu() {
    }

    public static int crc16(byte[] data, int offset, int length) {
        int crc = 0xFFFF;
        for (int i = offset; i < offset + length; i++) {
            crc ^= data[i] & 0xFF;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
            }
        }
        return crc;
    }

    public static byte[] encode(int unitId, byte[] pdu) {
        if (unitId < 0 || unitId > 255) {
            throw new IllegalArgumentException("unit id " + unitId + " outside 0..255");
        }
        if (pdu.length < 1 || pdu.length > Modbus.MAX_PDU) {
            throw new IllegalArgumentException("PDU of " + pdu.length + " bytes outside 1.." + Modbus.MAX_PDU);
        }
        byte[] frame = new byte[pdu.length + 3];
        frame[0] = (byte) unitId;
        System.arraycopy(pdu, 0, frame, 1, pdu.length);
        int crc = crc16(frame, 0, pdu.length + 1);
        frame[pdu.length + 1] = (byte) crc;
        frame[pdu.length + 2] = (byte) (crc >> 8);
        return frame;
    }

    /**
     * The total length of the response frame being received, or -1 when more bytes are needed to
     * know it.
     *
     * @throws ModbusProtocolException when the bytes so far cannot start an answer to the request
     *         (unexpected function code, byte count not matching the quantity)
     */
    public static int expectedFrameLength(ModbusRequest request, byte[] buffer, int received)
            throws ModbusProtocolException {
        if (received < 2) {
            return -1;
        }
        int fc = buffer[1] & 0xFF;
        if (fc == (request.functionCode() | 0x80)) {
            return 5;
        }
        if (fc != request.functionCode()) {
            throw new ModbusProtocolException("function code " + fc + ", expected " + request.functionCode());
        }
        if (!request.isRead()) {
            return 8;
        }
        if (received < 3) {
            return -1;
        }
        int byteCount = buffer[2] & 0xFF;
        if (byteCount != request.expectedByteCount()) {
            throw new ModbusProtocolException("byte count " + byteCount + ", expected " + request.expectedByteCount()
                    + " for " + request.quantity() + (request.readsBits() ? " bits" : " registers"));
        }
        return 5 + byteCount;
    }

    /**
     * Checks a complete frame's CRC and unit id and returns its PDU.
     */
    public static byte[] decode(byte[] frame, int length, int expectedUnit) throws ModbusProtocolException {
        if (length < 4) {
            throw new ModbusProtocolException("RTU frame of " + length + " bytes is too short");
        }
        int crc = crc16(frame, 0, length - 2);
        int got = (frame[length - 2] & 0xFF) | ((frame[length - 1] & 0xFF) << 8);
        if (crc != got) {
            throw new ModbusProtocolException(String.format("CRC 0x%04X, expected 0x%04X", got, crc));
        }
        int unit = frame[0] & 0xFF;
        if (unit != expectedUnit) {
            throw new ModbusProtocolException("unit id " + unit + ", expected " + expectedUnit);
        }
        byte[] pdu = new byte[length - 3];
        System.arraycopy(frame, 1, pdu, 0, pdu.length);
        return pdu;
    }
}
