package io.cellgate.modbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cellgate.api.config.RegisterArea;
import org.junit.jupiter.api.Test;

class ModbusFramingTest {

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    @Test
    void read_encodesFunctionAddressQuantity() {
        assertThat(ModbusRequest.read(RegisterArea.HOLDING_REGISTER, 0x1234, 10).pdu())
                .containsExactly(bytes(3, 0x12, 0x34, 0, 10));
        assertThat(ModbusRequest.read(RegisterArea.COIL, 0, 2000).pdu()[0]).isEqualTo((byte) 1);
        assertThat(ModbusRequest.read(RegisterArea.DISCRETE_INPUT, 0, 1).pdu()[0]).isEqualTo((byte) 2);
        assertThat(ModbusRequest.read(RegisterArea.INPUT_REGISTER, 0, 125).pdu()[0]).isEqualTo((byte) 4);
    }

    @Test
    void read_quantityZeroOrOverLimit_isRefused() {
        assertThatThrownBy(() -> ModbusRequest.read(RegisterArea.HOLDING_REGISTER, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 1..125");
        assertThatThrownBy(() -> ModbusRequest.read(RegisterArea.INPUT_REGISTER, 0, 126)).hasMessageContaining("1..125");
        assertThatThrownBy(() -> ModbusRequest.read(RegisterArea.COIL, 0, 2001)).hasMessageContaining("1..2000");
        assertThatThrownBy(() -> ModbusRequest.writeMultipleRegisters(0, new int[124])).hasMessageContaining("1..123");
        assertThatThrownBy(() -> ModbusRequest.writeMultipleCoils(0, new boolean[1969])).hasMessageContaining("1..1968");
        assertThatThrownBy(() -> ModbusRequest.writeMultipleRegisters(0, new int[0])).hasMessageContaining("1..123");
        assertThatThrownBy(() -> ModbusRequest.read(RegisterArea.HOLDING_REGISTER, 65535, 2))
                .hasMessageContaining("outside 0..65535");
    }

    @Test
    void writes_encodeAsSpecified() {
        assertThat(ModbusRequest.writeSingleCoil(7, true).pdu()).containsExactly(bytes(5, 0, 7, 0xFF, 0));
        assertThat(ModbusRequest.writeSingleRegister(1, 0xABCD).pdu()).containsExactly(bytes(6, 0, 1, 0xAB, 0xCD));
        assertThat(ModbusRequest.writeMultipleRegisters(2, new int[] {1, 0xFFFF}).pdu())
                .containsExactly(bytes(16, 0, 2, 0, 2, 4, 0, 1, 0xFF, 0xFF));
        assertThat(ModbusRequest.writeMultipleCoils(0, new boolean[] {true, false, true}).pdu())
                .containsExactly(bytes(15, 0, 0, 0, 3, 1, 5));
        assertThatThrownBy(() -> ModbusRequest.writeSingleRegister(0, 65536)).hasMessageContaining("0..65535");
    }

    @Test
    void parse_readRegisters_returnsValues() throws Exception {
        ModbusRequest req = ModbusRequest.read(RegisterArea.HOLDING_REGISTER, 0, 2);
        assertThat(ModbusResponses.parse(req, bytes(3, 4, 0x12, 0x34, 0xFF, 0xFF))).containsExactly(0x1234, 0xFFFF);
    }

    @Test
    void parse_readBits_returnsOneIntPerBit() throws Exception {
        ModbusRequest req = ModbusRequest.read(RegisterArea.COIL, 0, 10);
        assertThat(ModbusResponses.parse(req, bytes(1, 2, 0x81, 0x02))).containsExactly(1, 0, 0, 0, 0, 0, 0, 1, 0, 1);
    }

    @Test
    void parse_wrongByteCount_namesExpectation() {
        ModbusRequest req = ModbusRequest.read(RegisterArea.HOLDING_REGISTER, 0, 4);
        assertThatThrownBy(() -> ModbusResponses.parse(req, new byte[] {3, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}))
                .isInstanceOf(ModbusProtocolException.class)
                .hasMessage("byte count 10, expected 8 for 4 registers");
    }

    @Test
    void parse_truncatedOrPadded_isRefused() {
        ModbusRequest req = ModbusRequest.read(RegisterArea.HOLDING_REGISTER, 0, 2);
        assertThatThrownBy(() -> ModbusResponses.parse(req, bytes(3, 4, 0, 0, 0))).isInstanceOf(ModbusProtocolException.class)
                .hasMessageContaining("response of 5 bytes, expected 6");
        assertThatThrownBy(() -> ModbusResponses.parse(req, bytes(3))).hasMessageContaining("truncated");
        assertThatThrownBy(() -> ModbusResponses.parse(req, new byte[0])).hasMessageContaining("empty");
    }

    @Test
    void parse_otherFunctionCode_isRefused() {
        ModbusRequest req = ModbusRequest.read(RegisterArea.HOLDING_REGISTER, 0, 1);
        assertThatThrownBy(() -> ModbusResponses.parse(req, bytes(4, 2, 0, 0)))
                .isInstanceOf(ModbusProtocolException.class).hasMessage("function code 4, expected 3");
        assertThatThrownBy(() -> ModbusResponses.parse(req, bytes(0x84, 2)))
                .isInstanceOf(ModbusProtocolException.class);
    }

    @Test
    void parse_exceptionResponse_carriesCodeAndName() {
        ModbusRequest req = ModbusRequest.read(RegisterArea.HOLDING_REGISTER, 0, 1);
        assertThatThrownBy(() -> ModbusResponses.parse(req, bytes(0x83, 2)))
                .isInstanceOfSatisfying(ModbusExceptionResponse.class, e -> {
                    assertThat(e.exceptionCode()).isEqualTo(2);
                    assertThat(e.functionCode()).isEqualTo(3);
                    assertThat(e).hasMessageContaining("illegal data address");
                });
        assertThatThrownBy(() -> ModbusResponses.parse(req, bytes(0x83, 12))).isInstanceOf(ModbusProtocolException.class)
                .hasMessageContaining("undefined code 12");
        assertThat(ModbusExceptionResponse.name(11)).isEqualTo("gateway target device failed to respond");
    }

    @Test
    void parse_writeEcho_isVerified() throws Exception {
        ModbusRequest req = ModbusRequest.writeMultipleRegisters(2, new int[] {1, 2});
        assertThat(ModbusResponses.parse(req, bytes(16, 0, 2, 0, 2))).isEmpty();
        assertThatThrownBy(() -> ModbusResponses.parse(req, bytes(16, 0, 3, 0, 2)))
                .isInstanceOf(ModbusProtocolException.class).hasMessageContaining("does not echo");
        ModbusRequest single = ModbusRequest.writeSingleRegister(1, 7);
        assertThatThrownBy(() -> ModbusResponses.parse(single, bytes(6, 0, 1, 0, 8))).hasMessageContaining("does not echo");
    }

    @Test
    void mbap_encodeAndParseHeader_roundTrip() throws Exception {
        byte[] adu = Mbap.encode(0xBEEF, 17, bytes(3, 0, 0, 0, 1));
        assertThat(adu).containsExactly(bytes(0xBE, 0xEF, 0, 0, 0, 6, 17, 3, 0, 0, 0, 1));
        Mbap.Header h = Mbap.parseHeader(adu);
        assertThat(h).isEqualTo(new Mbap.Header(0xBEEF, 17, 5));
    }

    @Test
    void mbap_badProtocolOrLength_isRefused() {
        assertThatThrownBy(() -> Mbap.parseHeader(bytes(0, 1, 0, 1, 0, 6, 1))).isInstanceOf(ModbusProtocolException.class)
                .hasMessageContaining("protocol id 1");
        assertThatThrownBy(() -> Mbap.parseHeader(bytes(0, 1, 0, 0, 0xFF, 0xFF, 1))).hasMessageContaining("length 65535");
        assertThatThrownBy(() -> Mbap.parseHeader(bytes(0, 1, 0, 0, 0, 255, 1))).hasMessageContaining("length 255");
        assertThatThrownBy(() -> Mbap.parseHeader(bytes(0, 1, 0, 0, 0, 1, 1))).hasMessageContaining("length 1");
        assertThatThrownBy(() -> Mbap.parseHeader(bytes(0, 1, 0))).hasMessageContaining("truncated");
    }

    @Test
    void rtu_crc_matchesKnownVector() {
        // Read holding registers unit 1, address 0, quantity 1: 01 03 00 00 00 01 84 0A
        assertThat(Rtu.encode(1, bytes(3, 0, 0, 0, 1))).containsExactly(bytes(1, 3, 0, 0, 0, 1, 0x84, 0x0A));
        assertThat(Rtu.crc16(bytes(1, 3, 0, 0, 0, 1), 0, 6)).isEqualTo(0x0A84);
    }

    @Test
    void rtu_expectedFrameLength_fromRequestAndByteCount() throws Exception {
        ModbusRequest read = ModbusRequest.read(RegisterArea.HOLDING_REGISTER, 0, 3);
        assertThat(Rtu.expectedFrameLength(read, bytes(1), 1)).isEqualTo(-1);
        assertThat(Rtu.expectedFrameLength(read, bytes(1, 3), 2)).isEqualTo(-1);
        assertThat(Rtu.expectedFrameLength(read, bytes(1, 3, 6), 3)).isEqualTo(11);
        assertThat(Rtu.expectedFrameLength(read, bytes(1, 0x83), 2)).isEqualTo(5);
        assertThat(Rtu.expectedFrameLength(ModbusRequest.writeSingleCoil(0, true), bytes(1, 5), 2)).isEqualTo(8);
        assertThatThrownBy(() -> Rtu.expectedFrameLength(read, bytes(1, 3, 8), 3))
                .isInstanceOf(ModbusProtocolException.class).hasMessageContaining("byte count 8, expected 6");
        assertThatThrownBy(() -> Rtu.expectedFrameLength(read, bytes(1, 4), 2)).hasMessageContaining("function code 4");
    }

    @Test
    void rtu_decode_checksCrcAndUnit() throws Exception {
        byte[] frame = Rtu.encode(9, bytes(3, 2, 0, 42));
        assertThat(Rtu.decode(frame, frame.length, 9)).containsExactly(bytes(3, 2, 0, 42));
        assertThatThrownBy(() -> Rtu.decode(frame, frame.length, 8)).hasMessageContaining("unit id 9, expected 8");
        frame[3] ^= 1;
        assertThatThrownBy(() -> Rtu.decode(frame, frame.length, 9)).isInstanceOf(ModbusProtocolException.class)
                .hasMessageContaining("CRC");
    }
}
