package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.delta.ActionParser;
import io.deltaplane.metadata.delta.ActionParser.TableState;
import io.deltaplane.metadata.delta.CommitActions;
import io.deltaplane.metadata.table.LocationClaims;
import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The internal Java API that writes table versions without the HTTP layer — table creation uses
 * it, and so does importing an existing Delta table's {@code _delta_log}. It applies the same
 * validation and state changes as a commit over HTTP (through {@link CommitWriter}, outboxes included) in the
 * same transaction. Timestamps still strictly increase per table: a given {@code committedAt} at or
 * before the previous version's becomes previous + 1 ms.
 */
@Service
public class LogAppender {

    /** Where a new table goes in the catalog. */
    /** {@code managed}: the platform chose {@code location} ({@link StorageRoots#managed}). */
    public record NewTable(
            String catalog, String schema, String name, String location, String comment, boolean managed) {}

    private final TransactionTemplate tx;
    private final TableRepository tables;
    private final CommitWriter writer;
    private final LocationClaims claims;

    public LogAppender(TransactionTemplate tx, TableRepository tables, CommitWriter writer, LocationClaims claims) {
        this.tx = requireNonNull(tx, "tx");
        this.tables = requireNonNull(tables, "tables");
        this.writer = requireNonNull(writer, "writer");
        this.claims = requireNonNull(claims, "claims");
    }

    /**
     * Creates a table whose version 0 holds {@code actions} (a protocol and a metaData are required;
     * adds, txn and domainMetadata may follow; a commitInfo is merged into the one written first).
     * The table id is the metaData's {@code id} when it is a UUID, else a new one.
     *
     * @throws io.deltaplane.support.problem.ApiException 409 ALREADY_EXISTS, 404 SCHEMA_NOT_FOUND,
     *     400 INVALID_ACTION, 422 LOCATION_NOT_ALLOWED (another table took an overlapping location
     *     meanwhile)
     */
    public TableRow createTable(NewTable table, List<JsonNode> actions, Instant committedAt, String operation) {
        UUID id = tableId(actions);
        TableRow row = new TableRow(
                id,
                table.catalog(),
                table.schema(),
                table.name(),
                table.location(),
                0,
                committedAt,
                List.of(),
                table.comment(),
                committedAt,
                committedAt,
                table.managed(),
                List.of());
        // Version 0 with files is an engine's (a finalized or imported table) and published as it
        // wrote it: checked, nothing filled in. The platform's own creates carry no files.
        CommitActions parsed = ActionParser.parse(actions, new TableState(id, table.location(), List.of()))
                .writtenByAnEngine();
        Instant at = committedAt.truncatedTo(ChronoUnit.MILLIS);
        tx.executeWithoutResult(status -> {
            claims.claimTable(table.location(), row.fullName());
            writer.create(row, parsed, operation, at);
        });
        return tables.findById(id).orElseThrow();
    }

    /**
     * Appends version {@code expectedVersion + 1} to a table.
     *
     * @throws io.deltaplane.support.problem.ApiException 409 VERSION_CONFLICT, 404 TABLE_NOT_FOUND,
     *     400 INVALID_ACTION
     */
    public CommitResponse append(UUID tableId, long expectedVersion, List<JsonNode> actions, Instant committedAt) {
        return append(tableId, expectedVersion, actions, committedAt, null);
    }

    /**
     * As {@link #append(UUID, long, List, Instant)}, for actions an engine wrote that are stored and
     * published as written (a staged commit, an imported log): checked like every commit, but
     * nothing is filled in (an add without the row ids its table needs is refused, not completed).
     */
    public CommitResponse appendAsWritten(
            UUID tableId, long expectedVersion, List<JsonNode> actions, Instant committedAt) {
        return append(tableId, expectedVersion, actions, committedAt, null, true);
    }

    /**
     * {@link #appendAsWritten(UUID, long, List, Instant)} on the row the caller read (not read
     * again: the compare-and-swap refuses the version if the table moved on since).
     */
    public CommitResponse appendAsWritten(
            TableRow table, long expectedVersion, List<JsonNode> actions, Instant committedAt) {
        return append(table, expectedVersion, actions, committedAt, null, true, null);
    }

    /**
     * {@link #appendAsWritten(TableRow, long, List, Instant)}, validated against {@code
     * currentProtocol}, the table's current protocol as the caller read it with the row.
     */
    public CommitResponse appendAsWritten(
            TableRow table,
            long expectedVersion,
            List<JsonNode> actions,
            Instant committedAt,
            JsonNode currentProtocol) {
        return append(table, expectedVersion, actions, committedAt, null, true, currentProtocol);
    }

    /**
     * As {@link #append(UUID, long, List, Instant)}, recorded as {@code operation} in commitInfo and
     * history (null: the actions' commitInfo.operation, or WRITE).
     */
    public CommitResponse append(
            UUID tableId, long expectedVersion, List<JsonNode> actions, Instant committedAt, String operation) {
        return append(tableId, expectedVersion, actions, committedAt, operation, false);
    }

    private CommitResponse append(
            UUID tableId,
            long expectedVersion,
            List<JsonNode> actions,
            Instant committedAt,
            String operation,
            boolean asWritten) {
        TableRow table = tables.findById(tableId).orElseThrow(() -> MetadataErrors.tableNotFound(tableId.toString()));
        return append(table, expectedVersion, actions, committedAt, operation, asWritten, null);
    }

    private CommitResponse append(
            TableRow table,
            long expectedVersion,
            List<JsonNode> actions,
            Instant committedAt,
            String operation,
            boolean asWritten,
            JsonNode currentProtocol) {
        if (table.currentVersion() != expectedVersion) {
            throw MetadataErrors.versionConflict(table.fullName(), expectedVersion, table.currentVersion());
        }
        CommitActions parsed = ActionParser.parse(actions, CommitService.state(table));
        if (asWritten) {
            parsed = parsed.writtenByAnEngine();
        }
        Instant at = committedAt.truncatedTo(ChronoUnit.MILLIS);
        CommitActions checked = parsed;
        var written =
                tx.execute(status -> writer.append(table, expectedVersion, checked, operation, at, currentProtocol));
        return new CommitResponse(written.version(), written.committedAt());
    }

    private static UUID tableId(List<JsonNode> actions) {
        if (actions != null) {
            for (JsonNode action : actions) {
                JsonNode id = action == null ? null : action.path("metaData").get("id");
                if (id != null && id.isString()) {
                    try {
                        return UUID.fromString(id.stringValue());
                    } catch (IllegalArgumentException e) {
                        throw MetadataErrors.invalidAction("metaData.id must be a UUID");
                    }
                }
            }
        }
        return UUID.randomUUID();
    }
}
