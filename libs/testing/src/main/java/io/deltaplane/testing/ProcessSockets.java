package io.deltaplane.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The TCP connections of processes on this machine, read from {@code /proc} (Linux): for tests
 * that check a process talks to nothing but this machine's loopback — an emulator that phones
 * home, a service that connects somewhere the operator never allowed.
 */
public final class ProcessSockets {

    private ProcessSockets() {}

    /** One connected TCP socket of a process: who holds it and the far end. */
    public record Connection(long pid, String command, InetAddress peer, int port) {

        /** True when the far end is on this machine's loopback (127.0.0.0/8, ::1, ::ffff:127.x). */
        public boolean loopback() {
            return peer.isLoopbackAddress();
        }

        @Override
        public String toString() {
            return command + " (pid " + pid + ") -> " + peer.getHostAddress() + ":" + port;
        }
    }

    /**
     * The connected (not listening) TCP sockets the given processes hold now. A process that has
     * ended, or whose descriptors cannot be read, contributes nothing.
     */
    public static List<Connection> connections(Set<Long> pids) throws IOException {
        Map<Long, Peer> peersByInode = new HashMap<>();
        readTable(Path.of("/proc/net/tcp"), peersByInode);
        readTable(Path.of("/proc/net/tcp6"), peersByInode);
        List<Connection> connections = new ArrayList<>();
        for (long pid : pids) {
            String command = null; // read once per process, and only for one that has a connection
            for (long inode : socketInodes(pid)) {
                Peer peer = peersByInode.get(inode);
                if (peer != null) {
                    command = command != null ? command : command(pid);
                    connections.add(new Connection(pid, command, peer.address(), peer.port()));
                }
            }
        }
        return connections;
    }

    /** Those of {@link #connections} whose far end is not loopback. */
    public static List<Connection> beyondLoopback(Set<Long> pids) throws IOException {
        return connections(pids).stream().filter(c -> !c.loopback()).toList();
    }

    /**
     * The processes whose command line matches, and every process descended from them (a launcher
     * script's children: the node of an emulator started through bash, a JVM's subprocesses).
     */
    public static Set<Long> matchingWithDescendants(Predicate<String> commandLine) throws IOException {
        Map<Long, Long> parents = parents();
        Set<Long> roots = new HashSet<>();
        for (long pid : parents.keySet()) {
            if (commandLine.test(command(pid))) {
                roots.add(pid);
            }
        }
        return withDescendants(roots, parents);
    }

    /** A process and every process descended from it. */
    public static Set<Long> withDescendants(long pid) throws IOException {
        return withDescendants(Set.of(pid), parents());
    }

    private static Set<Long> withDescendants(Set<Long> roots, Map<Long, Long> parents) {
        Set<Long> found = new HashSet<>(roots);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<Long, Long> e : parents.entrySet()) {
                if (found.contains(e.getValue()) && found.add(e.getKey())) {
                    grew = true;
                }
            }
        }
        return found;
    }

    /** Every live process with its parent. */
    private static Map<Long, Long> parents() throws IOException {
        Map<Long, Long> parents = new HashMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                    long pid = Long.parseLong(name);
                    Long parent = parent(pid);
                    if (parent != null) { // null: ended meanwhile
                        parents.put(pid, parent);
                    }
                }
            }
        }
        return parents;
    }

    private record Peer(InetAddress address, int port) {}

    // /proc/net/tcp{,6}: "sl local_address rem_address st ... inode"; addresses are hex, each 32-bit
    // word in host (little-endian) byte order; state 0A is LISTEN, and a socket that is bound or
    // closed but not connected has the far end 0.0.0.0:0 (or ::).
    private static void readTable(Path table, Map<Long, Peer> peersByInode) throws IOException {
        if (!Files.exists(table)) {
            return;
        }
        List<String> lines = Files.readAllLines(table);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || f[3].equals("0A")) {
                continue;
            }
            String[] remote = f[2].split(":");
            InetAddress peer = address(remote[0]);
            if (!peer.isAnyLocalAddress()) { // a socket not connected (yet): no far end
                peersByInode.put(Long.parseLong(f[9]), new Peer(peer, Integer.parseInt(remote[1], 16)));
            }
        }
    }

    private static InetAddress address(String hex) throws UnknownHostException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes);
    }

    private static List<Long> socketInodes(long pid) {
        List<Long> inodes = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            // ended, or not ours to read
        }
        return inodes;
    }

    private static String command(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")))
                    .replace('\0', ' ')
                    .strip();
        } catch (IOException e) {
            return ""; // ended meanwhile
        }
    }

    private static Long parent(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(after[1]);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
