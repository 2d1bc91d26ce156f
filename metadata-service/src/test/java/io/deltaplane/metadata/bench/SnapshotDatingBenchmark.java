package io.deltaplane.metadata.bench;

import io.deltaplane.metadata.icebergmetadata.IcebergHistories;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.function.BinaryOperator;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;

/**
 * What dating a converted snapshot at its Delta commit costs ({@code
 * IcebergTableOperations.atDeltaCommitTime}, a program, not a test): Iceberg's builder making the
 * metadata again with the snapshot dated, against the JSON round trip it replaced ({@link
 * IcebergHistories#jsonRoundTrip}: the whole metadata to JSON, edited, parsed back), on tables of
 * {@code bench.snapshots} (100 and 1,000) snapshots, in the same run and in alternating rounds so
 * a busy machine weighs on both alike. Each line gives the CPU time of this thread per call (wall
 * time beside it), and {@code with_write} adds the serialization the commit then does to write the
 * metadata file ({@code TableMetadataParser.toJson}), so {@code commit_ratio} is what the
 * conversion's metadata work per version saves. {@code read_back_cpu_us} is what the commit's
 * refresh then spends parsing the file it wrote (not changed here), for scale.
 *
 * <pre>tools/bench metadata-service io.deltaplane.metadata.bench.SnapshotDatingBenchmark</pre>
 *
 * <p>{@code -Dbench.snapshots=100,1000}, {@code -Dbench.seconds=} (2) per way per round, {@code
 * -Dbench.rounds=} (5, the first one a warm-up, not counted).
 */
public final class SnapshotDatingBenchmark {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static long sink;

    private SnapshotDatingBenchmark() {}

    public static void main(String[] args) {
        int[] sizes = Arrays.stream(
                        System.getProperty("bench.snapshots", "100,1000").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim()))
                .toArray();
        double seconds = Double.parseDouble(System.getProperty("bench.seconds", "2"));
        int rounds = Integer.getInteger("bench.rounds", 5);
        for (int snapshots : sizes) {
            TableMetadata base = IcebergHistories.table(2, snapshots);
            long previous =
                    base.snapshotLog().get(base.snapshotLog().size() - 1).timestampMillis();
            TableMetadata produced = IcebergHistories.produced(base, previous + 500);
            TableMetadata viaJson = IcebergHistories.jsonRoundTrip(base, produced);
            TableMetadata viaBuilder = IcebergHistories.builder(base, produced);
            if (viaJson.currentSnapshot().timestampMillis() != previous + 500
                    || viaBuilder.currentSnapshot().timestampMillis() != previous + 500) {
                throw new IllegalStateException("a way did not date the snapshot");
            }
            int bytes = TableMetadataParser.toJson(produced).length();
            double[] json = new double[2];
            double[] builder = new double[2];
            double[] jsonWrite = new double[2];
            double[] builderWrite = new double[2];
            double[] readBack = new double[2];
            String written = TableMetadataParser.toJson(viaBuilder);
            int counted = 0;
            for (int round = 0; round < rounds; round++) {
                double[] a = time(IcebergHistories::jsonRoundTrip, base, produced, seconds, false);
                double[] b = time(IcebergHistories::builder, base, produced, seconds, false);
                double[] c = time(IcebergHistories::jsonRoundTrip, base, produced, seconds, true);
                double[] d = time(IcebergHistories::builder, base, produced, seconds, true);
                double[] e = time(
                        (x, y) -> TableMetadataParser.fromJson("file:/m.json", written),
                        base,
                        produced,
                        seconds,
                        false);
                System.out.printf(
                        "[%d snapshots, round %d%s] json %.1f us, builder %.1f us (cpu per call)%n",
                        snapshots, round, round == 0 ? ", warm-up" : "", a[0], b[0]);
                if (round > 0) {
                    counted++;
                    add(json, a);
                    add(builder, b);
                    add(jsonWrite, c);
                    add(builderWrite, d);
                    add(readBack, e);
                }
            }
            System.out.printf(
                    "RESULT snapshots=%d metadata_json_bytes=%d json_round_trip_cpu_us=%.1f builder_cpu_us=%.1f"
                            + " dating_ratio=%.1f json_wall_us=%.1f builder_wall_us=%.1f"
                            + " with_write_json_cpu_us=%.1f with_write_builder_cpu_us=%.1f commit_ratio=%.2f"
                            + " read_back_cpu_us=%.1f load=%.1f%n",
                    snapshots,
                    bytes,
                    json[0] / counted,
                    builder[0] / counted,
                    json[0] / builder[0],
                    json[1] / counted,
                    builder[1] / counted,
                    jsonWrite[0] / counted,
                    builderWrite[0] / counted,
                    jsonWrite[0] / builderWrite[0],
                    readBack[0] / counted,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    /** CPU and wall microseconds per call of {@code way} (and the file's serialization if {@code write}). */
    private static double[] time(
            BinaryOperator<TableMetadata> way,
            TableMetadata base,
            TableMetadata produced,
            double seconds,
            boolean write) {
        long calls = 0;
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long until = wall0 + (long) (seconds * 1e9);
        long now;
        do {
            for (int i = 0; i < 10; i++) {
                TableMetadata dated = way.apply(base, produced);
                sink += dated.currentSnapshot().timestampMillis();
                if (write) {
                    sink += TableMetadataParser.toJson(dated).length();
                }
            }
            calls += 10;
            now = System.nanoTime();
        } while (now < until);
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        return new double[] {cpu / 1e3 / calls, (now - wall0) / 1e3 / calls};
    }

    private static void add(double[] sum, double[] value) {
        sum[0] += value[0];
        sum[1] += value[1];
    }
}
