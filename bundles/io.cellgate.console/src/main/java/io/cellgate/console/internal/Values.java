package io.cellgate.console.internal;

import io.cellgate.api.tag.TagInfo;
import java.math.BigDecimal;

/** Turns the text a person typed (or a JSON scalar) into a value of the tag's type, with an error that names the field. */
final class Values {

    static final int MAX_STRING = 256;

    private Values() {
    }

    /**
     * @param field the form field or JSON member, for the message
     * @throws IllegalArgumentException naming the field and what was expected
     */
    static Object parse(TagInfo tag, String text, String field) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(field + ": a value is required");
        }
        String t = text.trim();
        Class<?> type = tag.valueType();
        if (type == Boolean.class) {
            return switch (t.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1" -> Boolean.TRUE;
                case "false", "0" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException(field + ": '" + clip(t) + "' is not a boolean (true or false) for "
                        + tag.path());
            };
        }
        if (type == String.class) {
            if (text.length() > MAX_STRING) {
                throw new IllegalArgumentException(field + ": " + text.length() + " characters; at most " + MAX_STRING);
            }
            return text;
        }
        BigDecimal number;
        try {
            if (t.length() > 64) {
                throw new NumberFormatException();
            }
            number = new BigDecimal(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + clip(t) + "' is not a number for " + tag.path() + " ("
                    + tag.dataType().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        if (type == Double.class || type == Float.class) {
            double d = number.doubleValue();
            if (Double.isInfinite(d)) {
                throw new IllegalArgumentException(field + ": " + clip(t) + " is out of range for " + tag.path());
            }
            return d;
        }
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(field + ": '" + clip(t) + "' is not a whole number in range for " + tag.path()
                    + " (" + tag.dataType().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
    }

    /** Echoes at most 40 characters of bad input, so that a message never carries a whole attack payload. */
    static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
