package io.cellgate.driver.modbus.internal;

/**
 * A physical connection shared by the devices with the same endpoint channel key. Calls are made on
 * the pollers' threads: {@link #send} puts a request on the wire (TCP) or queues it (RTU),
 * {@link #await} waits for its answer until the deadline.
 */
interface Channel extends AutoCloseable {

    void send(Call call, long deadlineNanos) throws ExchangeFailure;

    /** Returns the values of a settled call or throws its failure. */
    int[] await(Call call, long deadlineNanos) throws ExchangeFailure;

    /** Ms until the next connection attempt when backing off, else 0. */
    long reconnectDelayMillis();

    @Override
    void close();
}
