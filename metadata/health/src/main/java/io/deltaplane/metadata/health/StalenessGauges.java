package io.deltaplane.metadata.health;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The gauges {@code deltaplane_table_staleness_seconds} and {@code
 * deltaplane_table_staleness_expected_seconds} (tag {@code table}) for every table with an
 * expectation, for Alertmanager. Each pass publishes its figures; a table's gauges are registered
 * once and read the newest figures, so a pass over many tables does not register them again.
 */
final class StalenessGauges {

    /** A table's seconds since its last data commit and the seconds it may be quiet now. */
    record Figures(long stalenessSeconds, long expectedSeconds) {}

    private final MultiGauge staleness;
    private final MultiGauge expected;
    private volatile Map<String, Figures> figures = Map.of();

    /** No gauges without a registry: then publishing only keeps the figures. */
    StalenessGauges(MeterRegistry meters) {
        this.staleness = meters == null
                ? null
                : MultiGauge.builder("deltaplane.table.staleness")
                        .baseUnit("seconds")
                        .description("Seconds since the table's last data commit (tables with an expectation)")
                        .register(meters);
        this.expected = meters == null
                ? null
                : MultiGauge.builder("deltaplane.table.staleness.expected")
                        .baseUnit("seconds")
                        .description("How long the table may go without a data commit now (declared or learned)")
                        .register(meters);
    }

    /** Replaces the figures; the gauges of tables not in them are removed. */
    void publish(Map<String, Figures> byTable) {
        this.figures = Map.copyOf(byTable);
        if (staleness == null) {
            return;
        }
        List<MultiGauge.Row<?>> stalenessRows = new ArrayList<>(byTable.size());
        List<MultiGauge.Row<?>> expectedRows = new ArrayList<>(byTable.size());
        for (String table : byTable.keySet()) {
            Tags tags = Tags.of("table", table);
            stalenessRows.add(MultiGauge.Row.of(tags, this, g -> g.value(table, false)));
            expectedRows.add(MultiGauge.Row.of(tags, this, g -> g.value(table, true)));
        }
        staleness.register(stalenessRows, false);
        expected.register(expectedRows, false);
    }

    private double value(String table, boolean expectedSeconds) {
        Figures f = figures.get(table);
        if (f == null) {
            return Double.NaN;
        }
        return expectedSeconds ? f.expectedSeconds() : f.stalenessSeconds();
    }
}
