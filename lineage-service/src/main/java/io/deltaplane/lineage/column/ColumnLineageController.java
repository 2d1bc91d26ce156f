package io.deltaplane.lineage.column;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.dataset.DatasetRef;
import io.deltaplane.lineage.dataset.TableRepository;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Column-level lineage: which input fields a field comes from (upstream), or feeds (downstream). */
@RestController
public class ColumnLineageController {

    static final int MAX_DEPTH = 20;
    static final int MAX_EDGES = 1000;

    private final TableRepository tables;
    private final ColumnLineageRepository columns;

    public ColumnLineageController(TableRepository tables, ColumnLineageRepository columns) {
        this.tables = requireNonNull(tables, "tables");
        this.columns = requireNonNull(columns, "columns");
    }

    @GetMapping("/api/v1/lineage/columns")
    @Transactional(readOnly = true)
    public ColumnLineage columns(
            @RequestParam String dataset,
            @RequestParam String field,
            @RequestParam(defaultValue = "upstream") String direction,
            @RequestParam(defaultValue = "5") int depth) {
        if (depth < 1 || depth > MAX_DEPTH) {
            throw ApiException.badRequest(ErrorCode.BAD_REQUEST, "depth must be between 1 and " + MAX_DEPTH + ".");
        }
        boolean upstream = switch (direction.toLowerCase(Locale.ROOT)) {
            case "upstream" -> true;
            case "downstream" -> false;
            default ->
                throw ApiException.badRequest(ErrorCode.BAD_REQUEST, "direction must be upstream or downstream.");
        };
        Names.lookup(dataset);
        if (field.isEmpty() || field.length() > 1000 || !Names.isForeign(field)) {
            throw ApiException.badRequest(
                    ErrorCode.BAD_REQUEST, "field must be a field name without control characters.");
        }
        long tableId = tables.findId(dataset)
                .orElseThrow(() -> ApiException.notFound(
                        ErrorCode.TABLE_NOT_FOUND, "Lineage knows no dataset '" + dataset + "'."));
        List<ColumnLineage.Edge> edges = columns.walk(tableId, field, upstream, depth, MAX_EDGES + 1);
        boolean truncated = edges.size() > MAX_EDGES;
        if (truncated) {
            edges = edges.subList(0, MAX_EDGES);
        }
        DatasetRef ref = DatasetRef.parse(dataset);
        ColumnLineage.Field start = edges.isEmpty()
                ? new ColumnLineage.Field(ref.namespace(), ref.name(), field)
                : startOf(edges, ref.name(), field, upstream);
        Set<ColumnLineage.Field> fields = new LinkedHashSet<>();
        fields.add(start);
        for (ColumnLineage.Edge e : edges) {
            fields.add(e.from());
            fields.add(e.to());
        }
        return new ColumnLineage(
                start, upstream ? "upstream" : "downstream", depth, List.copyOf(fields), edges, truncated);
    }

    private static ColumnLineage.Field startOf(
            List<ColumnLineage.Edge> edges, String name, String field, boolean upstream) {
        for (ColumnLineage.Edge e : edges) {
            ColumnLineage.Field candidate = upstream ? e.to() : e.from();
            if (candidate.dataset().equals(name) && candidate.field().equals(field)) {
                return candidate;
            }
        }
        return new ColumnLineage.Field(null, name, field);
    }
}
