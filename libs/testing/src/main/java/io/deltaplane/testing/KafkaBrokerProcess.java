package io.deltaplane.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real single-node KRaft Kafka broker in a JVM of its own (Kafka's own {@code kafka.Kafka} main,
 * from this JVM's class path), so a test can kill it with {@code kill -9} and start it again on the
 * same ports and log directory — what an embedded broker cannot do.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private final Path dir;
    private final Path config;
    private final int port;
    private Process process;

    private KafkaBrokerProcess(Path dir, Path config, int port) {
        this.dir = dir;
        this.config = config;
        this.port = port;
    }

    /** Formats a log directory and starts a broker on free ports; answers once it takes requests. */
    public static KafkaBrokerProcess start() throws Exception {
        Path dir = Files.createTempDirectory("deltaplane-kafka-");
        int port = freePort();
        int controller = freePort();
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controller);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", dir.resolve("data").toString());
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // The log cleaner allocates its dedupe buffer (128 MB by default) on start: half of this
        // JVM's heap, which a restart's recovery can leave too little room for (an OutOfMemoryError
        // that ends the broker, seen in CI). A test broker compacts little.
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024));
        Path config = dir.resolve("server.properties");
        try (var out = Files.newBufferedWriter(config)) {
            p.store(out, "a test broker");
        }
        // --cluster-id=…, not -t …: an id starting with '-' (1 in 64) would read as an option, and
        // formatting failed once in CI so ("argument --cluster-id/-t: expected one argument")
        run(
                dir.resolve("format.log"),
                "kafka.tools.StorageTool",
                "format",
                "--cluster-id=" + clusterId(),
                "-c",
                config.toString());
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, config, port);
        broker.startAgain();
        return broker;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /**
     * SIGKILL: no controlled shutdown, nothing flushed that the broker had not synced. Returns once
     * the broker's process has ended, and fails if it has not within 30 s; {@link #exitValue} then
     * says how it ended (137 after a SIGKILL) and {@link #acceptsConnections} that its port is closed.
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(
                    "the Kafka broker (pid " + process.pid() + ") still runs 30 s after kill -9");
        }
    }

    /** Whether the broker's process runs. */
    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** How the broker's process ended (128 + the signal that ended it, 137 after {@link #kill}); fails while it runs. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Whether the broker's port takes a TCP connection now (false once {@link #kill} returned). */
    public boolean acceptsConnections() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /**
     * Connections the Kafka clients of {@code kind} ({@code producer}, {@code consumer}, {@code
     * admin}) in this JVM have had closed so far, all clients summed: their {@code
     * connection-close-total}, read from the MBeans Kafka's default metrics reporter (JMX) registers.
     */
    public static double connectionsClosed(String kind) {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        double closed = 0;
        try {
            for (javax.management.ObjectName client : server.queryNames(
                    new javax.management.ObjectName("kafka." + kind + ":type=" + kind + "-metrics,client-id=*"),
                    null)) {
                closed += ((Number) server.getAttribute(client, "connection-close-total")).doubleValue();
            }
        } catch (javax.management.JMException e) {
            throw new IllegalStateException("reading the metrics of this JVM's Kafka " + kind + "s", e);
        }
        return closed;
    }

    /**
     * Waits until this JVM's Kafka clients of {@code kind} have lost a connection since they had
     * lost {@code before} ({@link #connectionsClosed}): they saw the broker go. Fails after {@code
     * timeout}.
     */
    public static void awaitClientsLostTheBroker(String kind, double before, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (connectionsClosed(kind) <= before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no Kafka " + kind + " of this JVM lost its connection to the broker within "
                        + timeout + " (connection-close-total still " + before + ")");
            }
            Thread.sleep(20);
        }
    }

    /** Starts the broker (again) on its ports and log directory; returns when it answers. */
    public void startAgain() throws Exception {
        process = java("kafka.Kafka", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("broker.log").toFile()))
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the Kafka broker did not start ("
                                    + (process.isAlive() ? "no answer in 120 s" : "it exited") + "); the end of "
                                    + dir.resolve("broker.log") + ":\n" + logTail(),
                            notYet);
                }
                Thread.sleep(200);
            }
        }
    }

    /** The broker log's last lines, so a failure in CI says why without the file. */
    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("broker.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** A new topic of {@code partitions} partitions. */
    public String topic(String prefix, int partitions) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        return name;
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
    }

    private static String clusterId() {
        // Kafka's cluster ids are 16 random bytes, URL-safe base64 without padding
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void run(Path log, String mainClass, String... args) throws Exception {
        Process p = java(mainClass, args)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(mainClass + " failed; see " + log);
        }
    }

    private static ProcessBuilder java(String mainClass, String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SuiteJvm.OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    /**
     * A free port below Linux's ephemeral range (32768–60999). A port from that range can be taken
     * while the broker is down: a client reconnecting to 127.0.0.1:p may be given p itself as its
     * local port and connect to itself (TCP simultaneous open), and the restarted broker then cannot
     * bind.
     */
    private static int freePort() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = 20_000 + random.nextInt(12_000);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new java.net.InetSocketAddress("127.0.0.1", candidate));
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port in 20000–31999");
    }
}
