package io.deltaplane.metadata.bench;

import io.deltaplane.metadata.bench.MetadataBenchmark.Http;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every SQL statement the service replicas ran, by the part that ran it ({@code
 * deltaplane.sql.statements{part}}: {@code requests}, or a background loop by name — publishing,
 * checkpoints, the Iceberg conversion, relays), summed over the replicas. Two readings around a
 * window give each part's statements per commit: what a commit causes after its answer counted with
 * what its request ran.
 */
record StatementParts(Map<String, Double> counts) {

    private static final String SAMPLE =
            "(?m)^deltaplane_sql_statements(?:_statements)?_total\\{[^}]*part=\"([^\"]+)\"[^}]*\\} ([0-9.eE+-]+)$";

    static StatementParts of(List<Http> http) throws IOException {
        return new StatementParts(new TreeMap<>(MetadataBenchmark.sumOverReplicas(http, SAMPLE)));
    }

    /** Each part's statements between {@code before} and this reading, per commit; parts that ran none left out. */
    Map<String, Double> perCommitSince(StatementParts before, long commits) {
        Map<String, Double> perCommit = new TreeMap<>();
        counts.forEach((part, count) -> {
            double ran = count - before.counts.getOrDefault(part, 0.0);
            if (ran > 0) {
                perCommit.put(part, ran / Math.max(1, commits));
            }
        });
        return perCommit;
    }

    /** Every part's statements per commit, added up. */
    static double total(Map<String, Double> perCommit) {
        return perCommit.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** {@code part=0.00 …}, for a figure line. */
    static String format(Map<String, Double> perCommit) {
        StringBuilder line = new StringBuilder();
        perCommit.forEach((part, figure) ->
                line.append(line.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%s=%.2f", part, figure)));
        return line.toString();
    }
}
