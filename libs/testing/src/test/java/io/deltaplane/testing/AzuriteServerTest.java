package io.deltaplane.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The emulator the tests start talks to its clients on loopback and to nothing else. */
class AzuriteServerTest {

    // Azurite's telemetry, when on, connects to the cloud metadata endpoint about 4 s after it
    // listens on an idle machine, later on a busy one, and keeps those connections open.
    private static final long WATCH_MILLIS = 15_000;

    @Test
    void theEmulatorConnectsToNothingBeyondLoopback() throws Exception {
        try (AzuriteServer azurite = AzuriteServer.start();
                Socket client = new Socket(InetAddress.getLoopbackAddress(), azurite.port())) {
            // from when it listens: the first start of a fresh clone also installs it (npm ci)
            long listening = System.currentTimeMillis();
            // one request through the emulator's whole middleware chain (refused: it is unsigned)
            OutputStream out = client.getOutputStream();
            out.write(("GET /" + AzuriteServer.ACCOUNT + "?comp=list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = client.getInputStream();
            byte[] status = in.readNBytes(12);
            assertThat(new String(status, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 ");

            Set<Long> emulator = ProcessSockets.withDescendants(azurite.pid());
            // The reading itself works: the emulator's end of our connection is there, on loopback.
            assertThat(ProcessSockets.connections(emulator))
                    .anyMatch(c -> c.loopback() && c.port() == client.getLocalPort());

            try (ConnectionWatch watch =
                    ConnectionWatch.start(() -> emulator, address -> false, Duration.ofMillis(100))) {
                while (watch.seen().isEmpty() && System.currentTimeMillis() - listening < WATCH_MILLIS) {
                    Thread.sleep(100);
                }
                assertThat(watch.lookNow())
                        .as("connections of Azurite beyond loopback (telemetry left on?)")
                        .isEmpty();
            }
        }
    }
}
