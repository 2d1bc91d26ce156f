package io.deltaplane.ingest.delta;

import io.deltaplane.ingest.delta.DeltaColumns.Column;
import java.util.List;

/** A mapping's Delta table as the sink writes it: its name, where it lives, its columns and partitioning. */
public record DeltaTarget(String fullName, String location, List<Column> columns, List<String> partitionBy) {

    public DeltaTarget {
        columns = List.copyOf(columns);
        partitionBy = List.copyOf(partitionBy);
    }
}
