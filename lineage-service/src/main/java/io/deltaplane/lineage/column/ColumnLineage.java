package io.deltaplane.lineage.column;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The answer of {@code GET /api/v1/lineage/columns}: the fields reached and how each was derived. */
public record ColumnLineage(
        Field start, String direction, int depth, List<Field> fields, List<Edge> edges, boolean truncated) {

    /** A column of a dataset. */
    public record Field(String namespace, String dataset, String field) {}

    /**
     * {@code to} is derived from {@code from}: OpenLineage's transformation type (DIRECT, INDIRECT)
     * and subtype (IDENTITY, TRANSFORMATION, AGGREGATION, FILTER, JOIN, …), and the newest run that
     * recorded it.
     */
    public record Edge(
            Field from,
            Field to,
            String transformationType,
            String transformationSubtype,
            String description,
            UUID runId,
            Instant recordedAt) {}
}
