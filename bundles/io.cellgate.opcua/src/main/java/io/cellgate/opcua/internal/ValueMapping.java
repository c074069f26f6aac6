package io.cellgate.opcua.internal;

import io.cellgate.api.tag.DataType;
import io.cellgate.api.tag.TagInfo;
import io.cellgate.api.tag.TagValue;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UInteger;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UNumber;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;

/** Tag data types and values to and from their OPC UA form. */
final class ValueMapping {

    private ValueMapping() {
    }

    /** The OPC UA DataType of a tag's values (scaled values are Double). */
    static NodeId dataType(TagInfo tag) {
        if (tag.scaled()) {
            return NodeIds.Double;
        }
        return switch (tag.dataType()) {
            case BOOL, BIT -> NodeIds.Boolean;
            case INT16 -> NodeIds.Int16;
            case UINT16 -> NodeIds.UInt16;
            case INT32 -> NodeIds.Int32;
            case UINT32 -> NodeIds.UInt32;
            case INT64 -> NodeIds.Int64;
            case FLOAT32 -> NodeIds.Float;
            case FLOAT64 -> NodeIds.Double;
            case STRING -> NodeIds.String;
        };
    }

    /** A tag value as the DataValue a client reads: value, mapped status, source timestamp. */
    static DataValue toDataValue(TagInfo tag, TagValue value) {
        // A Bad value may carry the last known value for diagnostics; a client must not see it as current.
        Object v = value.isGood() || value.quality() == io.cellgate.api.tag.Quality.UNCERTAIN
                ? toUa(tag, value.value()) : null;
        return new DataValue(v == null ? Variant.NULL_VALUE : new Variant(v),
                StatusMapping.of(value.quality(), value.reason()),
                new DateTime(value.sourceTime()), DateTime.now());
    }

    static Object toUa(TagInfo tag, Object value) {
        if (value == null || tag.scaled()) {
            return value instanceof Number n && tag.scaled() ? n.doubleValue() : value;
        }
        return switch (tag.dataType()) {
            case UINT16 -> UShort.valueOf(((Number) value).intValue());
            case UINT32 -> UInteger.valueOf(((Number) value).longValue());
            default -> value;
        };
    }

    /** A value written by a client as the Java value the write service expects (Number, Boolean or String). */
    static Object fromUa(TagInfo tag, Object value) {
        if (value instanceof UNumber u) {
            return u.longValue();
        }
        if (tag.dataType() == DataType.STRING || value instanceof Boolean || value instanceof Number
                || value instanceof String) {
            return value;
        }
        throw new IllegalArgumentException("unsupported value type " + (value == null ? "null" : value.getClass().getSimpleName())
                + " for tag " + tag.path());
    }
}
