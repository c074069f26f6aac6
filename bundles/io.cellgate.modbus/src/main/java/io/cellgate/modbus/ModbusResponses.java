package io.cellgate.modbus;

/** Validates a response PDU against its request and extracts the data. */
public final class ModbusResponses {

    private ModbusResponses() {
    }

    /**
     * Parses a response PDU.
     *
     * @return for reads: registers (0..65535) or bits (0/1), exactly {@code request.quantity()} of them;
     *         for writes: an empty array (the echo was verified)
     * @throws ModbusExceptionResponse when the device answered with an exception code
     * @throws ModbusProtocolException when the PDU does not answer this request
     */
    public static int[] parse(ModbusRequest request, byte[] pdu) throws ModbusException {
        int fc = request.functionCode();
        if (pdu.length < 1) {
            throw new ModbusProtocolException("empty response PDU");
        }
        int rfc = pdu[0] & 0xFF;
        if (rfc == (fc | 0x80)) {
            if (pdu.length != 2) {
                throw new ModbusProtocolException("exception response of " + pdu.length + " bytes, expected 2");
            }
            int code = pdu[1] & 0xFF;
            if (code < 1 || code > 11) {
                throw new ModbusProtocolException("exception response with undefined code " + code);
            }
            throw new ModbusExceptionResponse(fc, code);
        }
        if (rfc != fc) {
            throw new ModbusProtocolException("function code " + rfc + ", expected " + fc);
        }
        if (request.isRead()) {
            if (pdu.length < 2) {
                throw new ModbusProtocolException("truncated read response: no byte count");
            }
            int byteCount = pdu[1] & 0xFF;
            int expected = request.expectedByteCount();
            String what = request.quantity() + (request.readsBits() ? " bits" : " registers");
            if (byteCount != expected) {
                throw new ModbusProtocolException("byte count " + byteCount + ", expected " + expected + " for "
                        + what);
            }
            if (pdu.length != 2 + byteCount) {
                throw new ModbusProtocolException("response of " + pdu.length + " bytes, expected " + (2 + byteCount)
                        + " for " + what);
            }
            if (request.readsBits()) {
                return RegisterCodec.unpackBits(pdu, 2, request.quantity());
            }
            int[] regs = new int[request.quantity()];
            for (int i = 0; i < regs.length; i++) {
                regs[i] = ((pdu[2 + 2 * i] & 0xFF) << 8) | (pdu[3 + 2 * i] & 0xFF);
            }
            return regs;
        }
        if (pdu.length != 5) {
            throw new ModbusProtocolException("write response of " + pdu.length + " bytes, expected 5");
        }
        byte[] req = request.pdu();
        // Single writes echo the request; multiple writes echo address and quantity.
        for (int i = 1; i < 5; i++) {
            if (pdu[i] != req[i]) {
                throw new ModbusProtocolException("write response does not echo the request: got " + hex(pdu)
                        + ", sent " + hex(java.util.Arrays.copyOf(req, 5)));
            }
        }
        return new int[0];
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02X", x & 0xFF));
        }
        return sb.toString();
    }
}
