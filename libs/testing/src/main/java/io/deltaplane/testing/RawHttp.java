package io.deltaplane.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written byte by byte over a socket, for requests HTTP clients refuse to send: a lying
 * {@code Content-Length}, bytes outside ASCII in a header, a method Tomcat does not implement.
 * Text is sent as ISO-8859-1, so a string made from UTF-8 bytes goes out as those bytes.
 */
public final class RawHttp {

    private static final int READ_TIMEOUT_MILLIS = 3000;

    private RawHttp() {}

    /** Sends the request and returns everything the server answered before closing or going quiet. */
    public static String send(int port, String raw) throws IOException {
        return exchange(port, raw, false);
    }

    /**
     * Sends the request, then closes the sending half of the connection: the server sees the end of
     * the stream where the body should go on.
     */
    public static String sendThenHalfClose(int port, String raw) throws IOException {
        return exchange(port, raw, true);
    }

    /** The status code of the first answer in {@code answer}. */
    public static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }

    /** {@code text} as UTF-8 bytes, to be written raw into a header. */
    public static String utf8(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String exchange(int port, String raw, boolean halfClose) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | SocketException e) {
                // Keep-alive, or the server closed without a clean shutdown: what arrived is the answer.
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
