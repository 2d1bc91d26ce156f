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
        int monitor = freePort();
        int a = freePort();
        int b = freePort();
        PostgresFormation formation = new PostgresFormation(script, workdir, a, b);
        Map<String, String> ready = formation.run(
                TimeUnit.MINUTES.toSeconds(4),
                "up",
                workdir.toString(),
                Integer.toString(monitor),
                Integer.toString(a),
                Integer.toString(b));
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

    @Override
    public void close() {
        run(120, "down", workdir.toString());
    }

    /** Runs the script; answers the {@code KEY=VALUE} lines it printed (a bare number as {@code PORT}). */
    private Map<String, String> run(long timeoutSeconds, String... arguments) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output;
            try (var in = process.getInputStream()) {
                output = in.readAllBytes();
            }
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("formation.sh " + String.join(" ", arguments) + " timed out");
            }
            String text = new String(output, StandardCharsets.UTF_8);
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
