package io.deltaplane.ingest.status.api;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.delta.DeltaPreview;
import io.deltaplane.ingest.mapping.StoredMapping;
import io.deltaplane.ingest.mapping.api.MappingService;
import io.deltaplane.ingest.sink.SinkPlan;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBConnection;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a mapping wrote, and what it could not: the latest rows of its target table and its latest
 * dead letters, read through the worker's own warehouse connection (a local DuckDB file has one
 * writer process, so nobody else can open it while the worker runs).
 */
@RestController
@RequestMapping("/api/v1/ingest/mappings/{name}")
public class PreviewController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    public record Column(String name, String type) {}

    public record Rows(String mapping, String target, List<Column> columns, List<List<Object>> rows) {}

    public record DeadLetter(int partition, long offset, String error, String payload, Instant recordedAt) {}

    public record DeadLetters(String mapping, List<DeadLetter> items) {}

    private final MappingService mappings;
    private final Warehouse warehouse;
    private final DeltaPreview deltaPreview;

    public PreviewController(MappingService mappings, Warehouse warehouse, DeltaPreview deltaPreview) {
        this.deltaPreview = requireNonNull(deltaPreview, "deltaPreview");
        this.mappings = requireNonNull(mappings, "mappings");
        this.warehouse = requireNonNull(warehouse, "warehouse");
    }

    @GetMapping("/rows")
    public Rows rows(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        StoredMapping mapping = mappings.readable(name);
        int n = limit(limit);
        SinkPlan plan = new SinkPlan(mapping.spec(), warehouse.defaultDatabase());
        String target = plan.target().replace("\"", "");
        String source = plan.target();
        if (mapping.spec().target().isDelta()) {
            // A Delta target's rows are in its table's files, read as any Delta reader would.
            target = mapping.spec().target().table();
            Optional<String> files = deltaPreview.newestRows(mapping.spec(), n);
            if (files.isEmpty()) {
                return new Rows(mapping.name(), target, List.of(), List.of());
            }
            source = files.get();
        }
        String sql = "SELECT * FROM " + source + " ORDER BY _ingested_at DESC, _offset DESC LIMIT " + n;
        List<Column> columns = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        query(sql, rs -> {
            ResultSetMetaData meta = rs.getMetaData();
            if (columns.isEmpty()) {
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    columns.add(new Column(meta.getColumnName(i), meta.getColumnTypeName(i)));
                }
            }
            List<Object> row = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                Object value = rs.getObject(i);
                row.add(
                        value == null || value instanceof Number || value instanceof Boolean
                                ? value
                                : value.toString());
            }
            rows.add(row);
        });
        return new Rows(mapping.name(), target, columns, rows);
    }

    @GetMapping("/dead-letters")
    public DeadLetters deadLetters(@PathVariable String name, @RequestParam(required = false) Integer limit) {
        StoredMapping mapping = mappings.readable(name);
        SinkPlan plan = new SinkPlan(mapping.spec(), warehouse.defaultDatabase());
        String sql = "SELECT _partition, _offset, error, CAST(payload AS VARCHAR), dead_lettered_at FROM "
                + plan.deadLetters() + " WHERE mapping = '" + mapping.name().replace("'", "''")
                + "' ORDER BY dead_lettered_at DESC, _offset DESC LIMIT " + limit(limit);
        List<DeadLetter> items = new ArrayList<>();
        query(
                sql,
                rs -> items.add(new DeadLetter(
                        rs.getInt(1),
                        rs.getLong(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getObject(5, java.time.OffsetDateTime.class).toInstant())));
        return new DeadLetters(mapping.name(), items);
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /** A table the mapping has not created yet (nothing ingested) reads as empty. */
    private void query(String sql, RowReader reader) {
        try (DuckDBConnection c = warehouse.connect();
                Statement statement = c.createStatement()) {
            try (ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    reader.read(rs);
                }
            } catch (SQLException e) {
                if (!String.valueOf(e.getMessage()).contains("does not exist")) {
                    throw e;
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB: " + e.getMessage(), e);
        }
    }

    private static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiException(
                    HttpStatus.BAD_REQUEST, ErrorCode.BAD_REQUEST, "limit must be between 1 and " + MAX_LIMIT + ".");
        }
        return limit;
    }
}
