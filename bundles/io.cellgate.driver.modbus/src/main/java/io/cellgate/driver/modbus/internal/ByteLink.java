package io.cellgate.driver.modbus.internal;

import java.io.IOException;

/** A byte stream carrying RTU frames: a serial port or a TCP socket (RTU over TCP). */
interface ByteLink extends AutoCloseable {

    void open(int timeoutMillis) throws IOException;

    void write(byte[] data) throws IOException;

    /** Reads up to len bytes, waiting at most timeoutMillis: the count, 0 on timeout, -1 at end of stream. */
    int read(byte[] buffer, int offset, int length, int timeoutMillis) throws IOException;

    /** Discards whatever has been received and not read (late answers, line noise). */
    void drain() throws IOException;

    String name();

    /** The silence the line needs between two frames (3.5 characters on a serial line), in nanoseconds. */
    default long interFrameNanos() {
        return 0;
    }

    @Override
    void close();
}
