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

    /**
     * The case an upload test met: an SDK sends a listing and starts a multipart upload on two
     * pooled connections, then the part on a third. The small requests must not use up the fault:
     * it lands on the connections that pass its bytes, and on as many of them as were armed.
     */
    @Test
    void smallTrafficOnOtherConnectionsLeavesTheFaultToTheConnectionsThatPassItsBytes() throws Exception {
        try (Socket pooled1 = connect();
                Socket pooled2 = connect()) {
            echoes(pooled1, 10); // open and used before the fault, as a keep-alive pool's are
            echoes(pooled2, 10);

            FaultyConnections.Fault stall = link.stallAfter(100, 2);
            echoes(pooled1, 60); // small requests after arming: each connection stays under 100 bytes
            echoes(pooled2, 60);
            try (Socket fresh = connect()) {
                echoes(fresh, 30);
            }
            assertThat(stall.fired()).as("fired by small traffic").isZero();

            try (Socket large = connect();
                    Socket retry = connect()) {
                assertStalledAfter(large, 100, stall, 1);
                assertStalledAfter(retry, 100, stall, 2);
            }
            try (Socket third = connect()) { // both armed connections were used up
                echoes(third, 300);
            }
            echoes(pooled1, 60); // past 100 bytes now, but the fault is used up: nothing left to take
            assertThat(stall.fired()).isEqualTo(2);
        }
    }

    @Test
    void aConnectionCountsItsBytesFromTheArmingAcrossItsWritesAndNothingAfterHeal() throws Exception {
        try (Socket s = connect()) {
            echoes(s, 80); // before the fault: not counted
            FaultyConnections.Fault stall = link.stallAfter(100, 1);
            echoes(s, 60);
            s.getOutputStream().write(new byte[60]); // 120 since arming: stalled after 40 of these
            stall.awaitFired(1, Duration.ofSeconds(5));
            assertThat(s.getInputStream().readNBytes(40)).hasSize(40);
            s.setSoTimeout(300);
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }

        FaultyConnections.Fault healed = link.stallAfter(10, 1);
        link.heal();
        try (Socket s = connect()) {
            echoes(s, 50);
        }
        assertThat(healed.fired()).isZero();
    }

    /** Sends {@code length} bytes and reads them all back: nothing was cut or stalled. */
    private static void echoes(Socket s, int length) throws IOException {
        byte[] sent = new byte[length];
        java.util.Arrays.fill(sent, (byte) length);
        s.getOutputStream().write(sent);
        assertThat(s.getInputStream().readNBytes(length)).isEqualTo(sent);
    }

    /** Sends more than {@code bytes}: exactly {@code bytes} come back, then nothing, and the fault has fired {@code times}. */
    private static void assertStalledAfter(Socket s, int bytes, FaultyConnections.Fault fault, int times)
            throws Exception {
        s.getOutputStream().write(new byte[3 * bytes]);
        fault.awaitFired(times, Duration.ofSeconds(5));
        assertThat(s.getInputStream().readNBytes(bytes)).hasSize(bytes);
        s.setSoTimeout(300);
        assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), link.port());
        s.setSoTimeout(5000);
        return s;
    }
}
