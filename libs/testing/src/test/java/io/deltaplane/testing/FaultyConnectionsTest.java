package io.deltaplane.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy's faults, against an echo server: what passes, where a cut lands, what a stall does. */
class FaultyConnectionsTest {

    private ServerSocket echo;
    private FaultyConnections link;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> {
                        try (s;
                                InputStream in = s.getInputStream();
                                OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the proxy closed it
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        link = FaultyConnections.inFrontOf(echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        link.close();
        echo.close();
    }

    @Test
    void bytesPassBothWaysUntilAFaultIsArmed() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write("hello".getBytes());
            assertThat(s.getInputStream().readNBytes(5)).isEqualTo("hello".getBytes());
        }
    }

    @Test
    void aCutLetsExactlyTheBytesThroughThenResetsAndOnlyTheArmedConnectionsAreHit() throws Exception {
        FaultyConnections.Fault cut = link.cutAfter(10, 1);
        try (Socket s = connect()) {
            s.getOutputStream().write(new byte[10]);
            assertThat(s.getInputStream().readNBytes(10)).hasSize(10); // within the budget
            s.getOutputStream().write(new byte[5]);
            cut.awaitFired(1, Duration.ofSeconds(5));
            assertThatThrownBy(() -> {
                        // a reset: the read fails, or finds the end before any more echoed bytes
                        if (s.getInputStream().read() >= 0) {
                            throw new AssertionError("bytes past the cut were echoed");
                        }
                        throw new IOException("closed");
                    })
                    .isInstanceOf(IOException.class);
        }
        try (Socket s = connect()) { // the one armed connection was used up
            s.getOutputStream().write(new byte[20]);
            assertThat(s.getInputStream().readNBytes(20)).hasSize(20);
        }
        assertThat(cut.fired()).isEqualTo(1);
    }

    @Test
    void aStallAnswersNothingUntilHealedAndThenClosesTheConnection() throws Exception {
        FaultyConnections.Fault stall = link.stallAfter(3, 5);
        try (Socket s = connect()) {
            s.setSoTimeout(300);
            s.getOutputStream().write("abcdef".getBytes());
            stall.awaitFired(1, Duration.ofSeconds(5));
            assertThat(s.getInputStream().readNBytes(3)).isEqualTo("abc".getBytes());
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            link.heal();
            s.setSoTimeout(5000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        try (Socket s = connect()) { // healed: the four unclaimed stalls are gone
            s.getOutputStream().write("again".getBytes());
            assertThat(s.getInputStream().readNBytes(5)).isEqualTo("again".getBytes());
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), link.port());
        s.setSoTimeout(5000);
        return s;
    }
}
