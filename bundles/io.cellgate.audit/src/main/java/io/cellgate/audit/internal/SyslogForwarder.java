package io.cellgate.audit.internal;

import io.cellgate.api.audit.AuditFilter;
import io.cellgate.api.audit.AuditRecord;
import io.cellgate.api.audit.AuditSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards the trail to a SIEM as RFC 5424 syslog over TLS (RFC 5425 framing), on a thread of its own. The local
 * trail is the record of truth and the forwarder's backlog: {@link #offer} only puts the record into a bounded
 * in-memory queue (never blocks; when it is full the record is simply not queued) and the forwarder reads what the
 * queue does not hold from the trail files. The last seq handed to TLS and flushed is kept in {@code <dir>/forwarded}
 * (not a trail file), so after an outage or a restart forwarding resumes after it. Syslog over TLS has no
 * acknowledgements: the records written in the moments before a connection breaks may not reach the SIEM; their
 * seq numbers are missing there and they are in the local trail.
 */
final class SyslogForwarder implements AutoCloseable {

    /** Where and how to forward; {@code host} null or empty means off. */
    record Settings(String host, int port, Path caFile, Path keyStoreFile, char[] keyStorePassword, String hostname,
            String sdId, int queueSize) {
        boolean enabled() {
            return host != null && !host.isBlank();
        }

        /** Equal settings need no reconnect (arrays compared by content). */
        boolean sameAs(Settings o) {
            return o != null && java.util.Objects.equals(host, o.host) && port == o.port
                    && java.util.Objects.equals(caFile, o.caFile) && java.util.Objects.equals(keyStoreFile, o.keyStoreFile)
                    && java.util.Arrays.equals(keyStorePassword, o.keyStorePassword)
                    && java.util.Objects.equals(hostname, o.hostname) && java.util.Objects.equals(sdId, o.sdId)
                    && queueSize == o.queueSize;
        }
    }

    static final String POSITION_FILE = "forwarded";
    private static final Logger LOG = LoggerFactory.getLogger(SyslogForwarder.class);
    private static final int PAGE = 500;
    private static final long RETRY_MAX_MILLIS = 30_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private final Path dir;
    private final LongSupplier lastSeq;
    private final Settings settings;
    private final BlockingQueue<AuditRecord> queue;
    private final Thread thread;
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile long forwardedSeq;
    private volatile String lastError;
    private SSLSocket socket;

    /** @param lastSeq the trail's last seq: the forwarder reads the files only when it is behind */
    SyslogForwarder(Path dir, Settings settings, LongSupplier lastSeq) {
        this.dir = dir;
        this.lastSeq = lastSeq;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, settings.queueSize()));
        this.forwardedSeq = readPosition(dir);
        this.thread = new Thread(this::run, "cellgate-audit-syslog");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Never blocks: a record the full queue cannot take is read from the trail later. */
    void offer(AuditRecord r) {
        queue.offer(r);
    }

    String state() {
        return connected ? AuditSummary.FORWARD_CONNECTED : AuditSummary.FORWARD_DISCONNECTED;
    }

    long forwardedSeq() {
        return forwardedSeq;
    }

    String lastError() {
        return lastError;
    }

    private void run() {
        long backoff = 1000;
        while (!closed) {
            try {
                connect();
                backoff = 1000;
                forward();
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                if (closed) {
                    break;
                }
                String error = settings.host() + ":" + settings.port() + ": " + e;
                if (connected || !error.equals(lastError)) {
                    LOG.warn("Audit forwarding to the SIEM interrupted ({}); the records stay in the local trail and "
                            + "are sent from seq {} on when it is back", error, forwardedSeq + 1);
                }
                lastError = error;
                disconnect();
                sleep(backoff);
                backoff = Math.min(backoff * 2, RETRY_MAX_MILLIS);
            }
        }
        disconnect();
    }

    private void connect() throws IOException, GeneralSecurityException {
        SSLSocket s = (SSLSocket) context().getSocketFactory().createSocket();
        try {
            s.connect(new InetSocketAddress(settings.host(), settings.port()), CONNECT_TIMEOUT_MILLIS);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // the SIEM's certificate must name the host we dialled
            p.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
            s.setSSLParameters(p);
            s.startHandshake();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        socket = s;
        connected = true;
        lastError = null;
        LOG.info("Audit forwarding to the SIEM at {}:{} (syslog over TLS), from seq {}", settings.host(),
                settings.port(), forwardedSeq + 1);
    }

    /** Sends everything after {@link #forwardedSeq}, from the queue when it holds the next record, else from the trail. */
    private void forward() throws IOException {
        OutputStream out = socket.getOutputStream();
        List<AuditRecord> carry = new ArrayList<>();
        while (!closed) {
            List<AuditRecord> batch = new ArrayList<>(carry);
            carry.clear();
            queue.drainTo(batch, PAGE);
            batch.removeIf(r -> r.seq() <= forwardedSeq); // already sent, read from the trail
            if (!batch.isEmpty() && batch.get(0).seq() != forwardedSeq + 1) {
                // the queue was full or started later: the missing ones come from the trail, in order
                batch = TrailQuery.query(dir, AuditFilter.all(PAGE).after(forwardedSeq)).records();
            } else if (batch.isEmpty() && lastSeq.getAsLong() > forwardedSeq) {
                batch = TrailQuery.query(dir, AuditFilter.all(PAGE).after(forwardedSeq)).records();
            }
            if (batch.isEmpty()) {
                AuditRecord r = pollQueue();
                if (r != null) {
                    carry.add(r);
                } else {
                    checkOpen();
                }
                continue;
            }
            long last = forwardedSeq;
            for (AuditRecord r : batch) {
                if (r.seq() != last + 1) {
                    break; // a gap: the rest comes from the trail next round
                }
                out.write(Syslog5424.frame(r, settings.hostname(), settings.sdId()));
                last = r.seq();
            }
            out.flush();
            if (last != forwardedSeq) {
                forwardedSeq = last;
                writePosition(last);
            }
        }
    }

    /** While idle: a SIEM that closed the connection is noticed now, not by losing the next records into it. */
    private void checkOpen() throws IOException {
        socket.setSoTimeout(50);
        try {
            if (socket.getInputStream().read() < 0) {
                throw new IOException("the SIEM closed the connection");
            }
        } catch (java.net.SocketTimeoutException e) {
            // nothing to read: still open
        }
    }

    private AuditRecord pollQueue() {
        try {
            return queue.poll(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
            return null;
        }
    }

    private SSLContext context() throws IOException, GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (settings.caFile() != null) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            try (InputStream in = Files.newInputStream(settings.caFile())) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("ca-" + i++, c);
                }
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + settings.caFile());
            }
            tmf.init(trust);
        } else {
            tmf.init((KeyStore) null); // the JDK's CAs
        }
        KeyManagerFactory kmf = null;
        if (settings.keyStoreFile() != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(settings.keyStoreFile())) {
                keys.load(in, settings.keyStorePassword());
            }
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, settings.keyStorePassword());
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ssl;
    }

    static long readPosition(Path dir) {
        try {
            return Long.parseLong(Files.readString(dir.resolve(POSITION_FILE), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private void writePosition(long seq) {
        try {
            Path tmp = dir.resolve(POSITION_FILE + ".tmp");
            Files.writeString(tmp, seq + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, dir.resolve(POSITION_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // at worst the records after the last saved position are sent again after a restart
            LOG.debug("Audit forwarding position not saved in {}: {}", dir, e.toString());
        }
    }

    private void disconnect() {
        connected = false;
        SSLSocket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("Closing the SIEM connection: {}", e.toString());
            }
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** At a stop, what is written last (gateway.stop) still goes out while the SIEM is connected; bounded. */
    private static final long DRAIN_MILLIS = 2000;

    @Override
    public void close() {
        long end = System.nanoTime() + DRAIN_MILLIS * 1_000_000;
        while (connected && forwardedSeq < lastSeq.getAsLong() && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closed = true;
        thread.interrupt();
        disconnect();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
