package io.cellgate.mqtt.internal;

import io.cellgate.api.tag.Quality;
import io.cellgate.api.tag.QualityReason;
import io.cellgate.api.tag.TagPath;
import io.cellgate.api.tag.TagValue;
import io.cellgate.sparkplug.TagSample;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the outbox stores for one batch of changes of one device: the samples with their original timestamps,
 * not a finished MQTT packet, because seq and is_historical are decided when it is sent. Version 1 layout
 * (big-endian): {@code 1, device (UTF), count (int), per sample: tag (UTF), quality (byte), reason (UTF),
 * source time (long ms), value kind (byte) and value}.
 */
record DataRecord(String device, List<TagSample> samples) {

    private static final byte VERSION = 1;

    DataRecord {
        samples = List.copyOf(samples);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + samples.size() * 24);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(device);
            out.writeInt(samples.size());
            for (TagSample s : samples) {
                TagValue v = s.value();
                out.writeUTF(s.path().tag());
                out.writeByte(v.quality().ordinal());
                out.writeUTF(v.reason().name());
                out.writeLong(v.sourceTime().toEpochMilli());
                writeValue(out, v.value());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IllegalArgumentException naming what is wrong when the bytes are not a record of this version */
    static DataRecord decode(byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            int version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("outbox record version " + version + ", expected " + VERSION);
            }
            String device = in.readUTF();
            int n = in.readInt();
            if (n < 0 || n > record.length) {
                throw new IllegalArgumentException("outbox record of device '" + device + "': sample count " + n);
            }
            List<TagSample> samples = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                TagPath path = new TagPath(device, in.readUTF());
                Quality q = Quality.values()[in.readByte()];
                QualityReason reason = QualityReason.valueOf(in.readUTF());
                Instant time = Instant.ofEpochMilli(in.readLong());
                Object value = readValue(in);
                samples.add(new TagSample(path, new TagValue(value, q, reason, null, time)));
            }
            return new DataRecord(device, samples);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("outbox record (" + record.length + " bytes) is damaged: " + e, e);
        }
    }

    private static void writeValue(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte(0);
        } else if (v instanceof Boolean b) {
            out.writeByte(1);
            out.writeBoolean(b);
        } else if (v instanceof Short s) {
            out.writeByte(2);
            out.writeShort(s);
        } else if (v instanceof Integer i) {
            out.writeByte(3);
            out.writeInt(i);
        } else if (v instanceof Long l) {
            out.writeByte(4);
            out.writeLong(l);
        } else if (v instanceof Float f) {
            out.writeByte(5);
            out.writeFloat(f);
        } else if (v instanceof Double d) {
            out.writeByte(6);
            out.writeDouble(d);
        } else if (v instanceof String s) {
            out.writeByte(7);
            out.writeUTF(s);
        } else {
            throw new IllegalArgumentException("value of type " + v.getClass().getName() + " cannot be stored");
        }
    }

    private static Object readValue(DataInputStream in) throws IOException {
        int kind = in.readByte();
        return switch (kind) {
            case 0 -> null;
            case 1 -> in.readBoolean();
            case 2 -> in.readShort();
            case 3 -> in.readInt();
            case 4 -> in.readLong();
            case 5 -> in.readFloat();
            case 6 -> in.readDouble();
            case 7 -> in.readUTF();
            default -> throw new IllegalArgumentException("unknown value kind " + kind);
        };
    }
}
