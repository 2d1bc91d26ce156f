package io.deltaplane.ingest.sink;

/** A mapping's totals as its sink keeps them: they survive restarts, unlike process counters. */
public record SinkTotals(long rows, long deadLetters, long batches) {

    public static final SinkTotals NONE = new SinkTotals(0, 0, 0);
}
