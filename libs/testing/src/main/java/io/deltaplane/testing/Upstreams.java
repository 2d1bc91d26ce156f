package io.deltaplane.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The servers on 127.0.0.1 a {@link FaultyConnections} proxy sends connections to, as a Kubernetes
 * Service its ready pods: each new connection to the next one, round robin; one that refuses it
 * (it died) is skipped.
 */
final class Upstreams {

    private final List<Integer> ports = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    void add(int port) {
        ports.add(port);
    }

    void remove(int port) {
        ports.remove(Integer.valueOf(port));
    }

    /** A connection to the next upstream that takes one, or null when none does. */
    Socket connect() {
        List<Integer> ready = List.copyOf(ports);
        for (int i = 0; i < ready.size(); i++) {
            int port = ready.get(Math.floorMod(next.getAndIncrement(), ready.size()));
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return upstream;
            } catch (IOException refused) {
                try {
                    upstream.close();
                } catch (IOException ignored) {
                    // never connected: nothing to release
                }
            }
        }
        return null;
    }
}
