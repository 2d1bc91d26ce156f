package io.deltaplane.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time from {@code /proc/stat} (Linux; zeros elsewhere), for benchmarks
 * that report how busy the machine was while they measured: on two shared cores that decides the
 * figures as much as the code does.
 *
 * @param busy jiffies spent on anything but idle and I/O wait
 * @param total all jiffies
 */
public record MachineCpu(long busy, long total) {

    public static MachineCpu now() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new MachineCpu(total - idle, total);
        } catch (IOException | RuntimeException e) {
            return new MachineCpu(0, 0);
        }
    }

    /**
     * The machine's one-minute load average as every benchmark's RESULT line ends: {@code
     * load_average=2.31} (how many runnable processes shared the two cores while it measured).
     */
    public static String loadAverage() {
        return String.format(
                java.util.Locale.ROOT,
                "load_average=%.2f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
    }

    /** Percent of the machine busy between {@code before} and this reading. */
    public double busyPercentSince(MachineCpu before) {
        long elapsed = total - before.total;
        return elapsed == 0 ? 0 : 100.0 * (busy - before.busy) / elapsed;
    }
}
