package io.deltaplane.ingest.sink;

import java.util.Map;

/**
 * A mapping's totals as its warehouse keeps them — they survive restarts, unlike process counters —
 * by writer: each worker's own row ({@link TotalsTables}), and the one row per mapping an earlier
 * release kept ({@link #EARLIER_RELEASE}). The mapping's totals are their sum.
 */
public record SinkTotals(Map<String, Counts> byWriter) {

    /** The writer name under which the one totals row per mapping of an earlier release is read. */
    public static final String EARLIER_RELEASE = "(earlier release)";

    public static final SinkTotals NONE = new SinkTotals(Map.of());

    public SinkTotals {
        byWriter = Map.copyOf(byWriter);
    }

    /** Rows written, dead letters and batches. */
    public record Counts(long rows, long deadLetters, long batches) {

        public static final Counts ZERO = new Counts(0, 0, 0);

        public Counts plus(Counts other) {
            return new Counts(rows + other.rows, deadLetters + other.deadLetters, batches + other.batches);
        }

        /** Each figure the larger of the two (totals only grow: the larger is the later reading). */
        public Counts max(Counts other) {
            return new Counts(
                    Math.max(rows, other.rows),
                    Math.max(deadLetters, other.deadLetters),
                    Math.max(batches, other.batches));
        }
    }

    /** The mapping's totals: every writer's added up. */
    public Counts sum() {
        return byWriter.values().stream().reduce(Counts.ZERO, Counts::plus);
    }

    /** One writer's totals (zero when it never wrote). */
    public Counts of(String writer) {
        return byWriter.getOrDefault(writer, Counts.ZERO);
    }

    public long rows() {
        return sum().rows();
    }

    public long deadLetters() {
        return sum().deadLetters();
    }

    public long batches() {
        return sum().batches();
    }
}
