package io.deltaplane.lineage;

import io.deltaplane.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything OpenLineage events left behind for the jobs named {@code <prefix>_…} — jobs, runs, raw
 * events, edges, snapshots, reads (down to which snapshot each read recorded) and column lineage —
 * as text rows with the prefix and the run ids mapped to neutral ones, so two copies of one event
 * set sent under other names compare row for row. Node ids and the instants the server's clock
 * chose (received_at, created_at, read_at) are left out.
 */
final class LineageRows {

    static final List<String> QUERIES = List.of(
            "SELECT name, namespace FROM lineage.jobs WHERE name LIKE ? ORDER BY 1, 2",
            "SELECT j.name, r.id::text, r.state, r.started_at, r.ended_at, r.nominal_time, r.metadata::text,"
                    + " r.completion::text, r.source FROM lineage.runs r JOIN lineage.jobs j ON j.id = r.job_id"
                    + " WHERE j.name LIKE ? ORDER BY 1, 2",
            "SELECT run_id::text, event_type, event_time, job_namespace, job_name, payload::text"
                    + " FROM lineage.openlineage_events WHERE job_name LIKE ? ORDER BY id",
            "SELECT coalesce(sj.name, st.namespace || '::' || st.name), coalesce(dj.name, dt.namespace || '::' ||"
                    + " dt.name) AS d FROM lineage.edges e LEFT JOIN lineage.jobs sj ON sj.id = e.src"
                    + " LEFT JOIN lineage.tracked_tables st ON st.id = e.src LEFT JOIN lineage.jobs dj ON dj.id = e.dst"
                    + " LEFT JOIN lineage.tracked_tables dt ON dt.id = e.dst"
                    + " WHERE coalesce(sj.name, dj.name) LIKE ? ORDER BY 1, 2",
            "SELECT t.namespace, t.name, s.uri, s.format, s.schema::text, s.version, s.run_id::text, s.source"
                    + " FROM lineage.snapshots s JOIN lineage.tracked_tables t ON t.id = s.table_id"
                    + " JOIN lineage.runs r ON r.id = s.run_id JOIN lineage.jobs j ON j.id = r.job_id"
                    + " WHERE j.name LIKE ? ORDER BY 2, 3, 6",
            // which snapshot each read recorded: the writer run and version of it
            "SELECT i.run_id::text, t.namespace, t.name, s.run_id::text, s.version FROM lineage.run_inputs i"
                    + " JOIN lineage.tracked_tables t ON t.id = i.table_id JOIN lineage.runs r ON r.id = i.run_id"
                    + " JOIN lineage.jobs j ON j.id = r.job_id LEFT JOIN lineage.snapshots s ON s.id = i.snapshot_id"
                    + " WHERE j.name LIKE ? ORDER BY 1, 2, 3",
            "SELECT c.run_id::text, o.name, c.output_field, i.name, c.input_field, c.transformation_type,"
                    + " c.transformation_subtype, c.description FROM lineage.column_lineage c"
                    + " JOIN lineage.tracked_tables o ON o.id = c.output_table_id"
                    + " JOIN lineage.tracked_tables i ON i.id = c.input_table_id JOIN lineage.runs r ON r.id = c.run_id"
                    + " JOIN lineage.jobs j ON j.id = r.job_id WHERE j.name LIKE ? ORDER BY 1, 2, 3, 4, 5");

    private LineageRows() {}

    /** The rows of one query, each as text: {@code <prefix>_} as {@code X_}, each run id as its label. */
    static List<String> of(String query, String prefix, Map<String, UUID> runs) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = TestDatabase.get().connect();
                PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, prefix + "\\_%");
            try (ResultSet rs = ps.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= columns; i++) {
                        row.append(rs.getString(i)).append(" | ");
                    }
                    String text = row.toString().replace(prefix + "_", "X_");
                    for (Map.Entry<String, UUID> run : runs.entrySet()) {
                        text = text.replace(run.getValue().toString(), "RUN_" + run.getKey());
                    }
                    rows.add(text);
                }
            }
        }
        if (!query.endsWith("ORDER BY id")) {
            // ordered by names, which the mapping changes: order again by the mapped ones
            rows.sort(null);
        }
        return rows;
    }
}
