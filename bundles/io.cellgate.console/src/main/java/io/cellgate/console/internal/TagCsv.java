package io.cellgate.console.internal;

import io.cellgate.api.config.Access;
import io.cellgate.api.config.DeviceProfile;
import io.cellgate.api.config.TagDefinition;
import io.cellgate.api.tag.TagPath;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A device's tag list as CSV (RFC 4180: comma, double quotes, CRLF or LF; UTF-8), for export and all-or-nothing
 * import. One row per tag of the device's profile. {@code name, area, address, type} identify the tag and are
 * checked against the profile (the register map is the profile's and cannot change here); the other columns are the
 * device's view of the tag and become its {@code tags:} overrides in cell.yaml where they differ from the profile.
 */
final class TagCsv {

    static final List<String> COLUMNS = List.of("name", "area", "address", "type", "unit", "description", "scale",
            "offset", "access", "min", "max", "deadband", "pollGroup");
    static final List<String> FIXED = List.of("area", "address", "type");
    static final List<String> NUMERIC = List.of("scale", "offset", "min", "max", "deadband");
    static final int MAX_BYTES = 256 * 1024;
    static final int MAX_ROWS = 5000;

    private TagCsv() {
    }

    /** One problem of an import, at its row (1 = the header) and column. */
    record RowError(int row, String column, String message) {
        @Override
        public String toString() {
            return "row " + row + (column == null ? "" : ", column " + column) + ": " + message;
        }
    }

    /** The overrides the file asks for (tag name to changed fields), or the errors (then nothing is applied). */
    record Parsed(Map<String, Map<String, Object>> overrides, List<RowError> errors) {
    }

    /** The device's tags with their effective values (the profile's, overridden by the device's {@code tags:}). */
    static String export(DeviceProfile base, Map<String, Object> overrides) {
        StringBuilder b = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (TagDefinition t : base.tags()) {
            Map<String, Object> o = overrides.get(t.name()) instanceof Map<?, ?> m ? cast(m) : Map.of();
            List<String> cells = new ArrayList<>();
            for (String c : COLUMNS) {
                cells.add(quote(effective(t, o, c)));
            }
            b.append(String.join(",", cells)).append("\r\n");
        }
        return b.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** A field's value as the device sees it: its override if any, else the profile's; "" for none. */
    static String effective(TagDefinition t, Map<String, Object> o, String column) {
        Object v = o.get(column);
        if (v != null && !FIXED.contains(column) && !column.equals("name")) {
            return v instanceof Double d ? fmt(d) : v.toString();
        }
        return base(t, column);
    }

    private static String base(TagDefinition t, String column) {
        boolean numeric = t.dataType().isNumeric();
        return switch (column) {
            case "name" -> t.name();
            case "area" -> t.area().name().toLowerCase(Locale.ROOT);
            case "address" -> Integer.toString(t.address());
            case "type" -> t.dataType().name().toLowerCase(Locale.ROOT);
            case "unit" -> Objects.toString(t.unit(), "");
            case "description" -> Objects.toString(t.description(), "");
            case "scale" -> numeric ? fmt(t.scale()) : "";
            case "offset" -> numeric ? fmt(t.offset()) : "";
            case "access" -> t.access().name().toLowerCase(Locale.ROOT);
            case "min" -> t.min() == null ? "" : fmt(t.min());
            case "max" -> t.max() == null ? "" : fmt(t.max());
            case "deadband" -> numeric ? fmt(t.deadband()) : "";
            case "pollGroup" -> Objects.toString(t.pollGroup(), "");
            default -> throw new IllegalArgumentException(column);
        };
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
                : new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0
                && (s.isEmpty() || "=+-@".indexOf(s.charAt(0)) < 0 || isNumber(s))) {
            return s;
        }
        // A leading = + - @ would make a spreadsheet evaluate the cell: such text gets a quote and a leading '.
        String body = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 && !isNumber(s) ? "'" + s : s;
        return "\"" + body.replace("\"", "\"\"") + "\"";
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Reads a whole file against the device's profile. Every row is checked and every problem reported; the result
     * has overrides only when there is no error at all.
     */
    static Parsed parse(String csv, DeviceProfile base) {
        return parseRows(csv, base, base.tags().stream().map(TagDefinition::name).toList());
    }

    /** As {@link #parse(String, DeviceProfile)}, requiring rows only for the tags {@code required} (one tag's form). */
    static Parsed parseRows(String csv, DeviceProfile base, List<String> required) {
        List<RowError> errors = new ArrayList<>();
        List<List<String>> rows;
        try {
            rows = rows(csv.startsWith("\uFEFF") ? csv.substring(1) : csv);
        } catch (IllegalArgumentException e) {
            errors.add(new RowError(lineOf(e), null, e.getMessage().substring(e.getMessage().indexOf(':') + 2)));
            return new Parsed(Map.of(), errors);
        }
        if (rows.isEmpty()) {
            errors.add(new RowError(1, null, "the file is empty: expected a header row (" + String.join(",", COLUMNS) + ")"));
            return new Parsed(Map.of(), errors);
        }
        if (rows.size() - 1 > MAX_ROWS) {
            errors.add(new RowError(MAX_ROWS + 2, null, "more than " + MAX_ROWS + " rows"));
            return new Parsed(Map.of(), errors);
        }
        List<String> header = rows.get(0).stream().map(String::trim).toList();
        Map<String, Integer> col = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            String h = header.get(i);
            if (!COLUMNS.contains(h)) {
                errors.add(new RowError(1, h.isEmpty() ? "#" + (i + 1) : h, "unknown column (the columns are "
                        + String.join(", ", COLUMNS) + ")"));
            } else if (col.putIfAbsent(h, i) != null) {
                errors.add(new RowError(1, h, "the column appears twice"));
            }
        }
        if (!col.containsKey("name")) {
            errors.add(new RowError(1, "name", "the column is missing: every row needs the tag's name"));
        }
        if (!errors.isEmpty()) {
            return new Parsed(Map.of(), errors);
        }
        Map<String, TagDefinition> tags = new LinkedHashMap<>();
        base.tags().forEach(t -> tags.put(t.name(), t));
        Map<String, Integer> seen = new HashMap<>();
        Map<String, Map<String, Object>> overrides = new LinkedHashMap<>();
        for (int r = 1; r < rows.size(); r++) {
            int rowNo = r + 1;
            List<String> row = rows.get(r);
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            if (row.size() != header.size()) {
                errors.add(new RowError(rowNo, null, row.size() + " fields, the header has " + header.size()));
                continue;
            }
            String name = row.get(col.get("name")).trim();
            TagDefinition t = tags.get(name);
            if (t == null) {
                errors.add(new RowError(rowNo, "name", name.isEmpty() ? "empty: every row names a tag"
                        : "profile '" + base.id() + "' has no tag '" + name + "'"));
                continue;
            }
            Integer first = seen.putIfAbsent(name, rowNo);
            if (first != null) {
                errors.add(new RowError(rowNo, "name", "tag '" + name + "' is also in row " + first));
                continue;
            }
            Map<String, Object> o = new LinkedHashMap<>();
            for (var e : col.entrySet()) {
                String c = e.getKey();
                String v = row.get(e.getValue()).trim();
                if (c.equals("name") || v.isEmpty()) {
                    continue; // empty: the profile's value
                }
                String error = cell(t, c, v, o);
                if (error != null) {
                    errors.add(new RowError(rowNo, c, error));
                }
            }
            if (!o.isEmpty()) {
                Map<String, Object> ordered = new LinkedHashMap<>();
                COLUMNS.stream().filter(o::containsKey).forEach(c -> ordered.put(c, o.get(c)));
                overrides.put(name, ordered);
            }
        }
        for (String name : required) {
            if (!seen.containsKey(name) && errors.isEmpty()) {
                errors.add(new RowError(rows.size() + 1, "name", "tag '" + name + "' of profile '" + base.id()
                        + "' has no row: the file must list every tag (export the list to start from)"));
            }
        }
        errors.sort(java.util.Comparator.comparingInt(RowError::row));
        return errors.isEmpty() ? new Parsed(overrides, List.of()) : new Parsed(Map.of(), errors);
    }

    /** Checks one cell; puts an override into {@code o} when the value differs from the profile's. */
    private static String cell(TagDefinition t, String c, String v, Map<String, Object> o) {
        if (v.length() > 256) {
            return "longer than 256 characters";
        }
        String profile = base(t, c);
        if (FIXED.contains(c)) {
            return v.equalsIgnoreCase(profile) ? null : "'" + Values.clip(v) + "' differs from the profile's '" + profile
                    + "': the register map comes from the profile and cannot be changed per device";
        }
        if (NUMERIC.contains(c)) {
            if (!t.dataType().isNumeric()) {
                return "'" + c + "' applies only to numeric tags; '" + t.name() + "' is "
                        + t.dataType().name().toLowerCase(Locale.ROOT) + " (leave it empty)";
            }
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                return "'" + Values.clip(v) + "' is not a number";
            }
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return "'" + v + "' is not a finite number";
            }
            if (c.equals("scale") && d == 0) {
                return "must not be 0 (it would turn every value into the offset)";
            }
            if (c.equals("deadband") && d < 0) {
                return "must not be negative (0 reports every change)";
            }
            if (!profile.isEmpty() && Double.parseDouble(profile) == d) {
                return null;
            }
            o.put(c, d);
            return null;
        }
        switch (c) {
            case "access" -> {
                Access a;
                try {
                    a = Access.valueOf(v.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    return "'" + Values.clip(v) + "' is not read_only or read_write";
                }
                if (a == Access.READ_WRITE && !t.area().isWritable()) {
                    return t.area().name().toLowerCase(Locale.ROOT) + " cannot be written (Modbus writes only coil and "
                            + "holding_register): use read_only";
                }
                if (a != t.access()) {
                    o.put(c, a.name().toLowerCase(Locale.ROOT));
                }
            }
            case "pollGroup" -> {
                if (!TagPath.NAME.matcher(v).matches()) {
                    return "'" + Values.clip(v) + "' is not a poll group name (letters, digits, '_', '-', '.')";
                }
                if (!v.equals(profile)) {
                    o.put(c, v);
                }
            }
            default -> {
                for (int i = 0; i < v.length(); i++) {
                    if (Character.isISOControl(v.charAt(i))) {
                        return "contains a control character";
                    }
                }
                if (!v.equals(profile)) {
                    o.put(c, v);
                }
            }
        }
        return null;
    }

    /** RFC 4180 records; throws IllegalArgumentException "line N: ..." for an unterminated quote. */
    static List<List<String>> rows(String s) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int quoteLine = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    field.append(ch);
                }
                continue;
            }
            switch (ch) {
                case '"' -> {
                    quoted = true;
                    quoteLine = line;
                    any = true;
                }
                case ',' -> {
                    row.add(field.toString());
                    field.setLength(0);
                    any = true;
                }
                case '\r' -> {
                    // CR LF or a lone CR ends the record like LF.
                    if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                        continue;
                    }
                    line = endRecord(rows, row, field, line);
                    row = new ArrayList<>();
                    any = false;
                }
                case '\n' -> {
                    line = endRecord(rows, row, field, line);
                    row = new ArrayList<>();
                    any = false;
                }
                default -> {
                    field.append(ch);
                    any = true;
                }
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("line " + quoteLine + ": a quoted field is not closed");
        }
        if (any || field.length() > 0) {
            endRecord(rows, row, field, line);
        }
        return rows;
    }

    private static int endRecord(List<List<String>> rows, List<String> row, StringBuilder field, int line) {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        return line + 1;
    }

    private static int lineOf(IllegalArgumentException e) {
        String m = e.getMessage();
        return Integer.parseInt(m.substring(5, m.indexOf(':')));
    }
}
