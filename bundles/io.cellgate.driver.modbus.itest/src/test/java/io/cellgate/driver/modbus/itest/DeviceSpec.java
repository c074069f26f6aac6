package io.cellgate.driver.modbus.itest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a pymodbus device holds, as the JSON its script reads. Typed values are sent as values and
 * encoded by the script with Python's struct, not by our codec.
 */
final class DeviceSpec {

    private final Map<Integer, List<String>> units = new LinkedHashMap<>();

    DeviceSpec unit(int unit) {
        units.computeIfAbsent(unit, u -> new ArrayList<>());
        return this;
    }

    /** Raw registers ({@code hr} or {@code ir}) from {@code address}. */
    DeviceSpec registers(int unit, String area, int address, int... registers) {
        StringBuilder values = new StringBuilder();
        for (int r : registers) {
            values.append(values.length() == 0 ? "" : ",").append(r);
        }
        return add(unit, "{\"area\":\"" + area + "\",\"address\":" + address + ",\"registers\":[" + values + "]}");
    }

    /** Raw bits ({@code co} or {@code di}) from {@code address}. */
    DeviceSpec bits(int unit, String area, int address, boolean... bits) {
        StringBuilder values = new StringBuilder();
        for (boolean b : bits) {
            values.append(values.length() == 0 ? "" : ",").append(b);
        }
        return add(unit, "{\"area\":\"" + area + "\",\"address\":" + address + ",\"bits\":[" + values + "]}");
    }

    /**
     * A typed value ({@code INT16 ... FLOAT64, STRING}) the script encodes in the given orders.
     * {@code value} is a Number or an ASCII String.
     */
    DeviceSpec typed(int unit, String area, int address, String type, Object value, String byteOrder,
            String wordOrder, int length) {
        String json = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
        return add(unit, "{\"area\":\"" + area + "\",\"address\":" + address + ",\"type\":\"" + type
                + "\",\"value\":" + json + ",\"byteOrder\":\"" + byteOrder + "\",\"wordOrder\":\"" + wordOrder
                + "\",\"length\":" + length + "}");
    }

    private DeviceSpec add(int unit, String entry) {
        unit(unit).units.get(unit).add(entry);
        return this;
    }

    String toJson() {
        return units.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":[" + String.join(",", e.getValue()) + "]")
                .collect(Collectors.joining(",", "{\"units\":{", "}}"));
    }
}
