package io.deltaplane.gateway.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time used by the parts of a {@code ./platform up} on this machine (Linux {@code /proc}), so
 * the benchmark can say where each request's CPU goes: on a small machine every millisecond the
 * gateway spends is taken from the service, Postgres and the clients.
 */
final class ProcessCpu {

    /** Linux's USER_HZ; {@code /proc/<pid>/stat} counts CPU time in these ticks. */
    private static final double MILLIS_PER_TICK = 10.0;

    private final Map<String, List<Long>> pidsByPart;

    private ProcessCpu(Map<String, List<Long>> pidsByPart) {
        this.pidsByPart = pidsByPart;
    }

    /** Gateway and metadata-service from {@code .platform/pids}, every {@code postgres} process. */
    static ProcessCpu ofPlatform(Path pidsDir) {
        Map<String, List<Long>> parts = new LinkedHashMap<>();
        for (String part : List.of("gateway", "metadata-service")) {
            Path file = pidsDir.resolve(part + ".pid");
            try {
                if (Files.exists(file)) {
                    parts.put(
                            part, List.of(Long.parseLong(Files.readString(file).trim())));
                }
            } catch (IOException | NumberFormatException e) {
                // that part is left out of the accounting
            }
        }
        parts.put("postgres", List.of()); // found anew at each sample: backends come and go
        return new ProcessCpu(parts);
    }

    /** CPU milliseconds used so far by each part, and by this JVM (the benchmark's clients). */
    Map<String, Double> sample() {
        Map<String, Double> millis = new LinkedHashMap<>();
        pidsByPart.forEach((part, pids) -> millis.put(
                part,
                (part.equals("postgres") ? postgresPids() : pids)
                        .stream().mapToDouble(ProcessCpu::cpuMillis).sum()));
        millis.put("clients", benchmarkJvmMillis());
        return millis;
    }

    private static double benchmarkJvmMillis() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun
                ? sun.getProcessCpuTime() / 1_000_000.0
                : Double.NaN;
    }

    /** Every process of the local Postgres server (postmaster and backends). */
    static List<Long> postgresPids() {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("comm")).trim().startsWith("postgres");
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** utime + stime of one process, 0 when it is gone. */
    private static double cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
