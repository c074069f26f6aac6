package io.cellgate.opcua.itest;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A UA TCP connection written by hand (OPC UA Part 6, 7.1): Hello, and OpenSecureChannel chunks with
 * SecurityPolicy None, so that the server's own limits are reached (Milo's client would refuse to send).
 */
final class RawUaTcp implements AutoCloseable {

    private static final String NONE = "http://opcfoundation.org/UA/SecurityPolicy#None";

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private int sequence = 1;

    RawUaTcp(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(15_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /** Sends Hello (receive/send buffers 65536, no message size or chunk count limit) and reads Acknowledge. */
    void hello(String endpointUrl) throws IOException {
        byte[] url = endpointUrl.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = le(8 + 20 + 4 + url.length);
        b.put("HELF".getBytes(StandardCharsets.US_ASCII)).putInt(b.capacity())
                .putInt(0).putInt(65536).putInt(65536).putInt(0).putInt(0)
                .putInt(url.length).put(url);
        out.write(b.array());
        out.flush();
        Message ack = read();
        if (!ack.type().equals("ACKF")) {
            throw new IOException("expected ACK, got " + ack.type());
        }
    }

    /** Sends one OpenSecureChannel chunk ('C' intermediate, 'F' final) with {@code bodyBytes} of body. */
    void openChunk(char chunkType, int bodyBytes) throws IOException {
        byte[] policy = NONE.getBytes(StandardCharsets.US_ASCII);
        int size = 8 + 4 + (4 + policy.length) + 4 + 4 + 8 + bodyBytes;
        ByteBuffer b = le(size);
        b.put("OPN".getBytes(StandardCharsets.US_ASCII)).put((byte) chunkType).putInt(size)
                .putInt(0) // secure channel id: new
                .putInt(policy.length).put(policy)
                .putInt(-1) // sender certificate: null
                .putInt(-1) // receiver thumbprint: null
                .putInt(sequence++).putInt(1); // sequence number, request id
        out.write(b.array());
        out.flush();
    }

    /** Sends the first bytes of a Hello whose announced size never arrives. */
    void partialHello() throws IOException {
        ByteBuffer b = le(12);
        b.put("HELF".getBytes(StandardCharsets.US_ASCII)).putInt(64).putInt(0);
        out.write(b.array());
        out.flush();
    }

    /** A message from the server: type (e.g. ACKF, ERRF) and, for ERR, the status code. */
    record Message(String type, long error) {
    }

    Message read() throws IOException {
        byte[] header = new byte[8];
        in.readFully(header);
        String type = new String(header, 0, 4, StandardCharsets.US_ASCII);
        int size = ByteBuffer.wrap(header, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        byte[] body = new byte[size - 8];
        in.readFully(body);
        long error = type.startsWith("ERR") ? ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL
                : 0;
        return new Message(type, error);
    }

    /** True when the server has closed the connection (end of stream or reset) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            InputStream raw = socket.getInputStream();
            byte[] drain = new byte[4096];
            while (true) {
                if (raw.read(drain) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            // Connection reset: closed by the server too.
            return !socket.isClosed();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
