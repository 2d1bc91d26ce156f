package io.deltaplane.metadata.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time used so far by each part of the platform, read from {@code /proc} (Linux, USER_HZ 100):
 * the metadata-service JVMs split by thread name ({@code /proc/<pid>/task/<tid>/comm}, the first 15
 * characters of the Java thread's name), lineage-service, the Postgres processes serving each
 * database (their process title names it) and the rest of Postgres, and this (the clients') JVM.
 * Two samples around a measured window give each part's share; elsewhere than Linux every part reads 0.
 */
final class CpuParts {

    static final String REQUEST = "request (http-nio-*)";
    static final String PUBLISH = "publish (delta-log-publisher)";
    static final String CHECKPOINT = "checkpoint (delta-log-checkpointer)";
    static final String RELAY = "relay (lineage-relay)";
    static final String BACKGROUND = "reconciler + lag gauges";
    static final String GC = "GC + VM thread";
    static final String JIT = "JIT (C1/C2)";
    static final String OTHER = "other threads (pool, timers, ended threads)";
    static final String SERVICE = "metadata-service JVM(s), total";
    static final String PG_METADATA = "Postgres backends of the metadata database";
    static final String PG_LINEAGE = "Postgres backends of the lineage database";
    static final String PG_REST = "Postgres rest (WAL writer, checkpointer, autovacuum, other databases and servers)";
    static final String LINEAGE = "lineage-service JVM";
    static final String CLIENTS = "benchmark clients' JVM";

    /** The parts of a metadata-service JVM, in the order they are printed. */
    static final List<String> SERVICE_PARTS = List.of(REQUEST, PUBLISH, CHECKPOINT, RELAY, BACKGROUND, GC, JIT, OTHER);

    private static final long NANOS_PER_TICK = 10_000_000L;

    private CpuParts() {}

    /** Which part a metadata-service thread belongs to, by the name {@code /proc} shows. */
    static String part(String thread) {
        if (thread.startsWith("http-nio-")) {
            return REQUEST;
        }
        if (thread.startsWith("delta-log-publi")) {
            return PUBLISH;
        }
        if (thread.startsWith("delta-log-check")) {
            return CHECKPOINT;
        }
        if (thread.startsWith("lineage-relay")) {
            return RELAY;
        }
        if (thread.startsWith("delta-log-recon") || thread.startsWith("publish-lag-gau")) {
            return BACKGROUND;
        }
        // Serial GC (as ./platform runs the services) collects on the VM thread; G1 on threads of its own.
        if (thread.startsWith("GC ") || thread.startsWith("G1 ") || thread.equals("VM Thread")) {
            return GC;
        }
        if (thread.startsWith("C1 CompilerThre") || thread.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        return OTHER;
    }

    /**
     * CPU nanoseconds so far: per thread of the service JVMs ({@code "pid/tid name"}), per Postgres
     * process ({@code "pid part"}), per part for the rest. Threads and Postgres processes are matched
     * with a later sample's by those keys: one that ended in between drops out of both (a Postgres
     * backend of another database, say), one that started counts from 0.
     */
    record Sample(Map<String, Long> threads, Map<String, Long> postgres, Map<String, Long> parts) {

        /** CPU nanoseconds per part between this sample and a later one, summed over the service JVMs. */
        Map<String, Long> until(Sample later) {
            Map<String, Long> delta = new LinkedHashMap<>();
            SERVICE_PARTS.forEach(p -> delta.put(p, 0L));
            long threadSum = 0;
            for (var e : later.threads.entrySet()) {
                String thread = e.getKey();
                long used = e.getValue() - threads.getOrDefault(thread, 0L);
                threadSum += used;
                delta.merge(part(thread.substring(thread.indexOf(' ') + 1)), used, Long::sum);
            }
            delta.put(SERVICE, later.parts.get(SERVICE) - parts.get(SERVICE));
            // The process totals also hold the threads that ended during the window.
            delta.merge(OTHER, delta.get(SERVICE) - threadSum, Long::sum);
            List.of(PG_METADATA, PG_LINEAGE, PG_REST).forEach(p -> delta.put(p, 0L));
            for (var e : later.postgres.entrySet()) {
                String process = e.getKey();
                delta.merge(
                        process.substring(process.indexOf(' ') + 1),
                        e.getValue() - postgres.getOrDefault(process, 0L),
                        Long::sum);
            }
            for (String p : List.of(LINEAGE, CLIENTS)) {
                delta.put(p, later.parts.get(p) - parts.get(p));
            }
            return delta;
        }
    }

    /** Reads every part now. */
    static Sample sample(List<Long> servicePids, long lineagePid, String metadataDb, String lineageDb) {
        Map<String, Long> threads = new LinkedHashMap<>();
        Map<String, Long> parts = new LinkedHashMap<>();
        long service = 0;
        for (long pid : servicePids) {
            service += processNanos(Path.of("/proc", Long.toString(pid)));
            threads.putAll(threadNanos(pid));
        }
        parts.put(SERVICE, service);
        Map<String, Long> postgres = new LinkedHashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(
                Path.of("/proc"), p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path process : processes) {
                String title;
                try {
                    if (!read(process.resolve("comm")).strip().equals("postgres")) {
                        continue;
                    }
                    title = read(process.resolve("cmdline")).replace('\0', ' ');
                } catch (IOException gone) {
                    continue; // ended meanwhile
                }
                // A backend's process title: "postgres: <cluster>: <user> <database> <client> <state>".
                String part = title.contains(" " + metadataDb + " ")
                        ? PG_METADATA
                        : lineageDb != null && title.contains(" " + lineageDb + " ") ? PG_LINEAGE : PG_REST;
                postgres.put(process.getFileName() + " " + part, processNanos(process));
            }
        } catch (IOException | RuntimeException notLinux) {
            // no /proc: Postgres reads 0
        }
        parts.put(LINEAGE, lineagePid < 0 ? 0 : processNanos(Path.of("/proc", Long.toString(lineagePid))));
        parts.put(CLIENTS, processNanos(Path.of("/proc/self")));
        return new Sample(threads, postgres, parts);
    }

    /** CPU nanoseconds so far of the compiler threads (C1, C2) of these JVMs, keyed as {@link #threadNanos}. */
    static Map<String, Long> compilerThreads(List<Long> pids) {
        Map<String, Long> compilers = new LinkedHashMap<>();
        for (long pid : pids) {
            threadNanos(pid).forEach((thread, nanos) -> {
                // the key is "pid/tid name": the name follows the first blank
                if (part(thread.substring(thread.indexOf(' ') + 1)).equals(JIT)) {
                    compilers.put(thread, nanos);
                }
            });
        }
        return compilers;
    }

    /**
     * What the compiler threads used between two readings of {@link #compilerThreads}: HotSpot
     * starts and ends compiler threads as it needs them, so a thread counts from 0 when it started
     * in between and drops out when it ended, as in {@link Sample#until}.
     */
    static long compilerNanosBetween(Map<String, Long> before, Map<String, Long> after) {
        long nanos = 0;
        for (Map.Entry<String, Long> thread : after.entrySet()) {
            nanos += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return nanos;
    }

    /**
     * CPU nanoseconds so far of each thread of a process, keyed {@code "pid/tid name"} (unique per
     * thread; the name follows the first blank); empty without {@code /proc}. A thread that ended
     * meanwhile is left out: its time shows in the process total.
     */
    private static Map<String, Long> threadNanos(long pid) {
        Map<String, Long> threads = new LinkedHashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String name = read(task.resolve("comm")).strip();
                    threads.put(pid + "/" + task.getFileName() + " " + name, processNanos(task));
                } catch (IOException ended) {
                    // ended meanwhile
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // no /proc: no threads
        }
        return threads;
    }

    /** utime + stime of {@code /proc/<pid>} or {@code /proc/<pid>/task/<tid>}; 0 if it is gone. */
    private static long processNanos(Path dir) {
        try {
            String stat = read(dir.resolve("stat"));
            // The name in parentheses may hold blanks: the fields are counted after its closing one.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * NANOS_PER_TICK;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
