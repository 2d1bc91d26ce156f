package io.deltaplane.lineage.column;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.SetWrite;
import io.deltaplane.lineage.common.Times;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The column_lineage rows: output field ← input field, per run. */
@Repository
public class ColumnLineageRepository {

    static final String INSERT_MANY = "INSERT INTO column_lineage (run_id, output_table_id, output_field,"
            + " input_table_id, input_field, transformation_type, transformation_subtype, description, created_at)"
            + " SELECT CAST(u.run_id AS uuid), u.out_table, u.out_field, u.in_table, u.in_field, u.type, u.subtype,"
            + " u.description, :now FROM unnest(CAST(:runs AS text[]), CAST(:out_tables AS bigint[]),"
            + " CAST(:out_fields AS text[]), CAST(:in_tables AS bigint[]), CAST(:in_fields AS text[]),"
            + " CAST(:types AS text[]), CAST(:subtypes AS text[]), CAST(:descriptions AS text[])) WITH ORDINALITY"
            + " AS u(run_id, out_table, out_field, in_table, in_field, type, subtype, description, n) ORDER BY u.n"
            + " ON CONFLICT ON CONSTRAINT column_lineage_once DO NOTHING";

    /** One output field fed by one input field in a run, for {@link #insertMany}. */
    public record FieldEdge(
            UUID runId,
            long outputTable,
            String outputField,
            long inputTable,
            String inputField,
            String transformationType,
            String transformationSubtype,
            String description) {}

    /**
     * Walks field to field from a start column, up (towards inputs) or down (towards outputs), to a
     * depth; each pair once, with the newest run that recorded it. {@code :up} picks the direction.
     */
    static final String WALK = "WITH RECURSIVE walk (table_id, field, depth, path) AS ("
            + " SELECT CAST(:table AS bigint), CAST(:field AS text), 0, ARRAY[CAST(:table AS text) || '.' || CAST(:field AS text)]"
            + " UNION ALL SELECT CASE WHEN :up THEN c.input_table_id ELSE c.output_table_id END,"
            + " CASE WHEN :up THEN c.input_field ELSE c.output_field END, w.depth + 1,"
            + " w.path || (CASE WHEN :up THEN c.input_table_id || '.' || c.input_field"
            + " ELSE c.output_table_id || '.' || c.output_field END)"
            + " FROM walk w JOIN column_lineage c ON (CASE WHEN :up THEN c.output_table_id = w.table_id AND c.output_field = w.field"
            + " ELSE c.input_table_id = w.table_id AND c.input_field = w.field END)"
            + " WHERE w.depth < :depth AND NOT (CASE WHEN :up THEN c.input_table_id || '.' || c.input_field"
            + " ELSE c.output_table_id || '.' || c.output_field END) = ANY (w.path))"
            + " SELECT DISTINCT ON (c.input_table_id, c.input_field, c.output_table_id, c.output_field)"
            + " ti.name AS in_table, ti.namespace AS in_namespace, c.input_field, to_.name AS out_table,"
            + " to_.namespace AS out_namespace, c.output_field, c.transformation_type, c.transformation_subtype,"
            + " c.description, c.run_id, c.created_at"
            + " FROM (SELECT DISTINCT table_id, field FROM walk WHERE depth < :depth) w"
            + " JOIN column_lineage c ON (CASE WHEN :up THEN c.output_table_id = w.table_id AND c.output_field = w.field"
            + " ELSE c.input_table_id = w.table_id AND c.input_field = w.field END)"
            + " JOIN tracked_tables ti ON ti.id = c.input_table_id JOIN tracked_tables to_ ON to_.id = c.output_table_id"
            + " ORDER BY c.input_table_id, c.input_field, c.output_table_id, c.output_field, c.created_at DESC"
            + " LIMIT :limit";

    private final JdbcClient jdbc;

    /** Stores a batch's field edges in order (one already recorded for the run is kept). */
    public SetWrite insertMany(List<FieldEdge> edges, Instant now) {
        return new SetWrite(
                INSERT_MANY,
                java.util.Map.of(
                        "runs",
                                SetWrite.uuids(
                                        edges.stream().map(FieldEdge::runId).toList()),
                        "out_tables",
                                SetWrite.array(
                                        "bigint",
                                        edges.stream()
                                                .map(FieldEdge::outputTable)
                                                .toList()),
                        "out_fields",
                                SetWrite.array(
                                        "text",
                                        edges.stream()
                                                .map(FieldEdge::outputField)
                                                .toList()),
                        "in_tables",
                                SetWrite.array(
                                        "bigint",
                                        edges.stream()
                                                .map(FieldEdge::inputTable)
                                                .toList()),
                        "in_fields",
                                SetWrite.array(
                                        "text",
                                        edges.stream()
                                                .map(FieldEdge::inputField)
                                                .toList()),
                        "types",
                                SetWrite.array(
                                        "text",
                                        edges.stream()
                                                .map(FieldEdge::transformationType)
                                                .toList()),
                        "subtypes",
                                SetWrite.array(
                                        "text",
                                        edges.stream()
                                                .map(FieldEdge::transformationSubtype)
                                                .toList()),
                        "descriptions",
                                SetWrite.array(
                                        "text",
                                        edges.stream()
                                                .map(FieldEdge::description)
                                                .toList()),
                        "now", Times.utc(now)));
    }

    public ColumnLineageRepository(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    public List<ColumnLineage.Edge> walk(long tableId, String field, boolean upstream, int depth, int limit) {
        return jdbc.sql(WALK)
                .param("table", tableId)
                .param("field", field)
                .param("up", upstream)
                .param("depth", depth)
                .param("limit", limit)
                .query((rs, n) -> new ColumnLineage.Edge(
                        new ColumnLineage.Field(
                                rs.getString("in_namespace"), rs.getString("in_table"), rs.getString("input_field")),
                        new ColumnLineage.Field(
                                rs.getString("out_namespace"), rs.getString("out_table"), rs.getString("output_field")),
                        rs.getString("transformation_type"),
                        rs.getString("transformation_subtype"),
                        rs.getString("description"),
                        rs.getObject("run_id", UUID.class),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .list();
    }
}
