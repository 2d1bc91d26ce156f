package io.deltaplane.metadata.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP/1.1 proxy in front of the benchmark's object store that holds every request for
 * a set delay before passing it on (about an object store's first-byte latency: S3 Standard answers
 * small objects in 10-30 ms) and counts the requests, so each side's store round trips are paid and
 * counted as on a real store. It reads each request's head and its {@code Content-Length} body (or
 * chunked body), then forwards it whole; answers stream back untouched.
 */
final class LatencyProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    private final AtomicLong requests = new AtomicLong();
    private volatile long delayMillis;
    private volatile boolean closed;

    private LatencyProxy(int upstreamPort, long delayMillis) throws IOException {
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.delayMillis = delayMillis;
        Thread accept = new Thread(this::accept, "latency-proxy-" + server.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    /** A proxy on a free loopback port in front of {@code 127.0.0.1:upstreamPort}. */
    static LatencyProxy start(int upstreamPort, long delayMillis) throws IOException {
        return new LatencyProxy(upstreamPort, delayMillis);
    }

    int port() {
        return server.getLocalPort();
    }

    void delayMillis(long millis) {
        this.delayMillis = millis;
    }

    /** Requests passed on since the last call (and resets the count). */
    long takeRequests() {
        return requests.getAndSet(0);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort));
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                daemon(() -> requests(client, upstream), "latency-proxy-requests");
                daemon(() -> pump(upstream, client), "latency-proxy-answers");
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("latency proxy: " + e);
                }
            }
        }
    }

    /** Reads one request at a time, holds it for the delay, passes it on whole. */
    private void requests(Socket client, Socket upstream) {
        try (client;
                upstream) {
            // buffered: heads are read a byte at a time, and one connection's requests come in turn
            InputStream in = new java.io.BufferedInputStream(client.getInputStream(), 1 << 16);
            OutputStream out = upstream.getOutputStream();
            while (true) {
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                String head = readHead(in, request);
                if (head == null) {
                    return;
                }
                String lower = head.toLowerCase(Locale.ROOT);
                long length = contentLength(lower);
                if (length > 0) {
                    copy(in, request, length);
                } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
                    readChunked(in, request);
                }
                requests.incrementAndGet();
                long delay = delayMillis;
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                request.writeTo(out);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client or the store closed the connection
        }
    }

    private static String readHead(InputStream in, ByteArrayOutputStream request) throws IOException {
        int last = 0; // the last four bytes read, one per byte of the int
        int b;
        while ((b = in.read()) >= 0) {
            request.write(b);
            last = (last << 8) | b;
            if (last == 0x0d0a0d0a) { // CR LF CR LF: the head is complete
                return request.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static long contentLength(String head) {
        int at = head.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return 0;
        }
        int end = head.indexOf("\r\n", at + 2);
        return Long.parseLong(
                head.substring(at + "\r\ncontent-length:".length(), end).trim());
    }

    private static void readChunked(InputStream in, ByteArrayOutputStream request) throws IOException {
        while (true) {
            String size = readLine(in, request);
            long length = Long.parseLong(size.split(";")[0].trim(), 16);
            if (length == 0) {
                // trailers until an empty line
                while (!readLine(in, request).isEmpty()) {
                    // a trailer
                }
                return;
            }
            copy(in, request, length);
            readLine(in, request); // the CRLF after the chunk
        }
    }

    private static String readLine(InputStream in, ByteArrayOutputStream request) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            request.write(b);
            if (b == '\n') {
                int length = line.length();
                return length > 0 && line.charAt(length - 1) == '\r' ? line.substring(0, length - 1) : line.toString();
            }
            line.append((char) b);
        }
        throw new IOException("connection closed inside a chunked body");
    }

    private static void copy(InputStream in, ByteArrayOutputStream to, long length) throws IOException {
        byte[] buffer = new byte[8192];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("connection closed inside a body");
            }
            to.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
