package io.deltaplane.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the benchmark's processes may run. {@code isolated}: the services, Postgres and Kafka on
 * their own CPUs, the gateway and the benchmark's clients on the last one. In a deployment the
 * gateway is its own pod and the clients are elsewhere, so the service tier has the same CPU
 * whether it is called directly or through the gateway; holding it constant makes the comparison
 * show what the hop adds (latency, and any throughput the gateway cannot carry), instead of how much
 * CPU the gateway takes away from a service on the same two cores. {@code shared}: every process on
 * every CPU.
 *
 * <p>Uses Linux {@code taskset} on the pids {@code ./platform up} recorded; {@link #restore()} puts
 * every process back on all CPUs.
 */
final class CpuPlacement {

    private final Path pidsDir;
    private final int cpus;

    CpuPlacement(Path pidsDir) {
        this.pidsDir = pidsDir;
        this.cpus = Runtime.getRuntime().availableProcessors();
    }

    /** A description of the gateway's CPU and the others', or why isolation is not possible. */
    String isolate() throws IOException, InterruptedException {
        if (cpus < 2) {
            return "shared (one CPU: nothing to isolate)";
        }
        Long gateway = pid("gateway");
        if (gateway == null) {
            return "shared (no gateway pid in " + pidsDir + ")";
        }
        String edgeCpu = Integer.toString(cpus - 1);
        String serviceCpus = cpus == 2 ? "0" : "0-" + (cpus - 2);
        for (long pid : serviceTier()) {
            taskset(serviceCpus, pid);
        }
        taskset(edgeCpu, gateway);
        taskset(edgeCpu, ProcessHandle.current().pid());
        return "isolated: services, Postgres and Kafka on CPU " + serviceCpus + "; gateway and clients on CPU "
                + edgeCpu;
    }

    /** Every process back on every CPU. */
    void restore() throws IOException, InterruptedException {
        String all = "0-" + (cpus - 1);
        Long gateway = pid("gateway");
        if (gateway != null) {
            taskset(all, gateway);
        }
        taskset(all, ProcessHandle.current().pid());
        for (long pid : serviceTier()) {
            taskset(all, pid);
        }
    }

    /** Postgres and every part of {@code ./platform up} but the gateway. */
    private List<Long> serviceTier() throws IOException {
        List<Long> pids = new ArrayList<>(ProcessCpu.postgresPids());
        try (Stream<Path> files = Files.list(pidsDir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".pid") && !name.equals("gateway.pid")) {
                    Long pid = pid(name.substring(0, name.length() - ".pid".length()));
                    if (pid != null) {
                        pids.add(pid);
                    }
                }
            }
        }
        return pids;
    }

    private Long pid(String part) {
        try {
            return Long.parseLong(
                    Files.readString(pidsDir.resolve(part + ".pid")).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** All threads of {@code pid} on {@code cpuList}; a process that is gone is skipped. */
    private static void taskset(String cpuList, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("taskset", "-a", "-cp", cpuList, Long.toString(pid))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
                .waitFor();
    }
}
