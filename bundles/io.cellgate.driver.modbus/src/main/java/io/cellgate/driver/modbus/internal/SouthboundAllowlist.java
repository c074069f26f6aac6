package io.cellgate.driver.modbus.internal;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.RegisterArea;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.modbus.Modbus;
import io.cellgate.modbus.ModbusRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The last check before a request reaches a channel: only the function codes the gateway needs (1-6, 15, 16),
 * quantities within the protocol's limits (never 0), a PDU that says what the request says, the session's own
 * unit id, and writes only to addresses a read-write tag of the profile covers. {@link ModbusRequest}'s factories
 * build only such requests, but its canonical constructor builds any PDU, so the session checks every request
 * here rather than trusting how it was made.
 */
final class SouthboundAllowlist {

    /** Function codes a Modbus device is known to act on that the gateway never sends, with what they do. */
    private static final Map<Integer, String> KNOWN = Map.ofEntries(
            Map.entry(7, "read exception status"),
            Map.entry(8, "diagnostics"),
            Map.entry(11, "get comm event counter"),
            Map.entry(12, "get comm event log"),
            Map.entry(17, "report server id"),
            Map.entry(20, "read file record"),
            Map.entry(21, "write file record"),
            Map.entry(22, "mask write register"),
            Map.entry(23, "read/write multiple registers"),
            Map.entry(24, "read FIFO queue"),
            Map.entry(43, "encapsulated interface transport / read device identification"),
            Map.entry(90, "vendor-specific, e.g. UMAS programming"));

    /** A range of addresses of one area that a read-write tag covers. */
    private record Range(RegisterArea area, int first, int last) {
    }

    private final int unitId;
    private final List<Range> writable;

    SouthboundAllowlist(int unitId, Collection<TagDefinition> tags) {
        this.unitId = unitId;
        List<Range> ranges = new ArrayList<>();
        for (TagDefinition t : tags) {
            if (t.access() == Access.READ_WRITE && t.area().isWritable()) {
                ranges.add(new Range(t.area(), t.address(), t.address() + t.quantity() - 1));
            }
        }
        this.writable = List.copyOf(ranges);
    }

    /** Why this request must not be sent to unit {@code unit}, or null when it may be. */
    String refusal(int unit, ModbusRequest r) {
        int fc = r.functionCode();
        if (unit != unitId) {
            return "unit id " + unit + " is not the device's configured unit id " + unitId;
        }
        if (!allowed(fc)) {
            return "function code " + fc + describe(fc) + " is not allowed (only 1-6, 15 and 16)";
        }
        byte[] pdu = r.pdu();
        if (pdu.length < 5 || (pdu[0] & 0xFF) != fc || word(pdu, 1) != r.address()) {
            return "function code " + fc + ": the PDU does not match the request " + r;
        }
        int max = switch (fc) {
            case Modbus.READ_COILS, Modbus.READ_DISCRETE_INPUTS -> Modbus.MAX_READ_BITS;
            case Modbus.READ_HOLDING_REGISTERS, Modbus.READ_INPUT_REGISTERS -> Modbus.MAX_READ_REGISTERS;
            case Modbus.WRITE_MULTIPLE_COILS -> Modbus.MAX_WRITE_COILS;
            case Modbus.WRITE_MULTIPLE_REGISTERS -> Modbus.MAX_WRITE_REGISTERS;
            default -> 1;
        };
        if (r.quantity() < 1 || r.quantity() > max) {
            return "function code " + fc + ": quantity " + r.quantity() + " outside 1.." + max;
        }
        if (r.address() < 0 || r.address() + r.quantity() - 1 > 0xFFFF) {
            return "function code " + fc + ": addresses " + r.address() + ".." + (r.address() + r.quantity() - 1)
                    + " outside 0..65535";
        }
        String shape = shape(fc, pdu, r.quantity());
        if (shape != null) {
            return "function code " + fc + ": " + shape;
        }
        if (r.isRead()) {
            return null;
        }
        RegisterArea area = fc == Modbus.WRITE_SINGLE_COIL || fc == Modbus.WRITE_MULTIPLE_COILS
                ? RegisterArea.COIL : RegisterArea.HOLDING_REGISTER;
        int last = r.address() + r.quantity() - 1;
        for (Range w : writable) {
            if (w.area() == area && w.first() <= r.address() && last <= w.last()) {
                return null;
            }
        }
        return "function code " + fc + ": " + area.name().toLowerCase().replace('_', ' ') + " "
                + (r.quantity() == 1 ? "address " + r.address() : "addresses " + r.address() + ".." + last)
                + " not declared writable by the device profile";
    }

    private static boolean allowed(int fc) {
        return fc >= Modbus.READ_COILS && fc <= Modbus.WRITE_SINGLE_REGISTER || fc == Modbus.WRITE_MULTIPLE_COILS
                || fc == Modbus.WRITE_MULTIPLE_REGISTERS;
    }

    /** The quantity and length fields inside the PDU agree with the request (a device acts on the PDU). */
    private static String shape(int fc, byte[] pdu, int quantity) {
        switch (fc) {
            case Modbus.WRITE_SINGLE_COIL -> {
                int v = word(pdu, 3);
                return pdu.length == 5 && (v == 0xFF00 || v == 0) ? null : "malformed single coil write";
            }
            case Modbus.WRITE_SINGLE_REGISTER -> {
                return pdu.length == 5 ? null : "malformed single register write";
            }
            case Modbus.WRITE_MULTIPLE_COILS, Modbus.WRITE_MULTIPLE_REGISTERS -> {
                int bytes = fc == Modbus.WRITE_MULTIPLE_COILS ? (quantity + 7) / 8 : 2 * quantity;
                return pdu.length >= 6 && word(pdu, 3) == quantity && (pdu[5] & 0xFF) == bytes
                        && pdu.length == 6 + bytes ? null : "quantity " + word(pdu, 3) + " or byte count "
                        + (pdu.length >= 6 ? pdu[5] & 0xFF : -1) + " in the PDU does not match quantity " + quantity;
            }
            default -> {
                return pdu.length == 5 && word(pdu, 3) == quantity ? null
                        : "quantity " + word(pdu, 3) + " in the PDU does not match quantity " + quantity;
            }
        }
    }

    private static String describe(int fc) {
        if (fc >= 0x80) {
            return " (an exception code, not a request)";
        }
        String name = KNOWN.get(fc);
        if (name != null) {
            return " (" + name + ")";
        }
        if (fc >= 65 && fc <= 72 || fc >= 100 && fc <= 110) {
            return " (user-defined, vendor-specific)";
        }
        return "";
    }

    private static int word(byte[] b, int at) {
        return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
    }
}
