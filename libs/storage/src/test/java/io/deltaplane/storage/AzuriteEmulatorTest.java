package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.testing.AzuriteServer;
import io.deltaplane.testing.ProcessSockets;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The emulator the Azure tests run against (the first start of a fresh clone installs it, npm ci).
 * {@link AzuriteServer#close()} fails when the emulator connected to anything beyond loopback while
 * it ran (telemetry left on), so every test that runs it checks that; this one checks that the
 * watch behind it sees the emulator's sockets at all.
 */
class AzuriteEmulatorTest {

    @Test
    void theEmulatorsSocketsAreWatchedAndItsConnectionsStayOnLoopback() throws Exception {
        try (AzuriteServer azurite = AzuriteServer.start();
                Socket client = new Socket(InetAddress.getLoopbackAddress(), azurite.port())) {
            // one request through the emulator's whole middleware chain (refused: it is unsigned)
            OutputStream out = client.getOutputStream();
            out.write(("GET /" + AzuriteServer.ACCOUNT + "?comp=list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = client.getInputStream();
            byte[] status = in.readNBytes(12);
            assertThat(new String(status, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 ");

            Set<Long> emulator = ProcessSockets.withDescendants(azurite.pid());
            // The reading works: the emulator's end of our connection is there, on loopback.
            assertThat(ProcessSockets.connections(emulator))
                    .anyMatch(c -> c.loopback() && c.port() == client.getLocalPort());
            assertThat(ProcessSockets.beyondLoopback(emulator))
                    .as("connections of Azurite beyond loopback (telemetry left on?)")
                    .isEmpty();
        }
    }
}
