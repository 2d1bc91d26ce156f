package io.deltaplane.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away pg_auto_failover formation on this machine — a monitor and two Postgres nodes with
 * synchronous replication, every file under one directory — driven by {@code failover/formation.sh}
 * (Debian's {@code postgresql-15-auto-failover}; {@code .ci/run} installs it). The monitor promotes
 * the standby when the primary stops answering (a few seconds: the script sets its health checks
 * short).
 */
final class PostgresFormation implements AutoCloseable {

    /** Where Debian's package puts {@code pg_autoctl}. */
    static final Path PG_AUTOCTL = Path.of("/usr/bin/pg_autoctl");

    private final Path script;
    private final Path workdir;
    private final int nodeA;
    private final int nodeB;

    private PostgresFormation(Path script, Path workdir, int nodeA, int nodeB) {
        this.script = script;
        this.workdir = workdir;
        this.nodeA = nodeA;
        this.nodeB = nodeB;
    }

    /** Brings a formation up under {@code workdir} (empty; its path short: sockets live in it). */
    static PostgresFormation up(Path workdir) {
        if (!PG_AUTOCTL.toFile().canExecute()) {
            throw new IllegalStateException("The failover test needs pg_auto_failover: apt-get install -y"
                    + " postgresql-15-auto-failover (.ci/run installs it)");
        }
        Path script;
        try {
            script = Path.of(PostgresFormation.class
                    .getResource("/failover/formation.sh")
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        int[] ports = freePorts(3);
        int monitor = ports[0];
        int a = ports[1];
        int b = ports[2];
        PostgresFormation formation = new PostgresFormation(script, workdir, a, b);
        Map<String, String> ready;
        try {
            ready = formation.run(
                    TimeUnit.MINUTES.toSeconds(4),
                    "up",
                    workdir.toString(),
                    Integer.toString(monitor),
                    Integer.toString(a),
                    Integer.toString(b));
        } catch (RuntimeException e) {
            formation.closeQuietly(); // the script keeps a failed formation's directory for inspection: gone too
            throw e;
        }
        if (!ready.containsKey("PRIMARY_PORT")) {
            formation.close();
            throw new IllegalStateException("the formation did not say it was ready: " + ready);
        }
        return formation;
    }

    /**
     * A JDBC URL of {@code database} naming both nodes: the driver connects to whichever is the
     * primary, as the services are configured for a Postgres with failover.
     */
    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + nodeA + ",127.0.0.1:" + nodeB + "/" + database
                + "?targetServerType=primary";
    }

    /** The port of the node the monitor has as primary now. */
    int primary() {
        return Integer.parseInt(run(60, "primary", workdir.toString()).get("PORT"));
    }

    /** Kills the node's keeper and Postgres with SIGKILL, as a crashed host. */
    void kill(int port) {
        run(60, "kill-node", workdir.toString(), Integer.toString(port));
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            e.printStackTrace(); // the failure of up is what the test reports
        }
    }

    @Override
    public void close() {
        run(120, "down", workdir.toString());
    }

    /** Runs the script; answers the {@code KEY=VALUE} lines it printed (a bare number as {@code PORT}). */
    private Map<String, String> run(long timeoutSeconds, String... arguments) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        try {
            // the output to a file, so that the timeout holds however the script hangs
            java.io.File output = java.io.File.createTempFile("formation-", ".log");
            output.deleteOnExit();
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output)
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException("formation.sh " + String.join(" ", arguments) + " timed out after "
                        + timeoutSeconds + " s:\n" + java.nio.file.Files.readString(output.toPath()));
            }
            String text = java.nio.file.Files.readString(output.toPath(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("formation.sh " + String.join(" ", arguments) + " failed ("
                        + process.exitValue() + "):\n" + text);
            }
            Map<String, String> values = new HashMap<>();
            for (String line : text.split("\n")) {
                String trimmed = line.trim();
                int eq = trimmed.indexOf('=');
                if (eq > 0 && trimmed.substring(0, eq).matches("[A-Z_]+")) {
                    values.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
                } else if (trimmed.matches("\\d+")) {
                    values.put("PORT", trimmed);
                }
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code n} distinct free ports: every socket held until all are chosen. */
    private static int[] freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a listening socket
                }
            }
        }
    }

    /** The port of the node the monitor has as primary, once it names one other than {@code not} (60 s at most). */
    int primaryOtherThan(int not) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        IllegalStateException last = null;
        while (System.nanoTime() < deadline) {
            try {
                int port = primary();
                if (port != not) {
                    return port;
                }
            } catch (IllegalStateException e) {
                last = e; // no primary right now: the monitor is between states
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("the monitor named no primary other than " + not + " in 60 s", last);
    }
}
