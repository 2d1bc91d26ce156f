package io.deltaplane.metadata.imports;

import static java.util.Objects.requireNonNull;

import io.delta.kernel.Snapshot;
import io.delta.kernel.utils.FileStatus;
import io.deltaplane.metadata.commit.CommitIntent;
import io.deltaplane.metadata.commit.CommitIntent.NewTable;
import io.deltaplane.metadata.commit.CommitPipeline;
import io.deltaplane.metadata.deltalog.DeltaLogNames;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.publish.PublishRepository;
import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.TableEntries;
import io.deltaplane.metadata.table.TableEntry;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.problem.InvalidField;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Adopts an existing Delta table: its whole commit history goes into Postgres through the core's
 * {@link CommitPipeline} (same validation as any commit), in one transaction together with a publish
 * state saying "everything up to the imported version is already in _delta_log". From then on
 * Postgres is authoritative and publishing continues at the next version.
 */
@Service
public class TableImporter {

    static final String NUM_FILES_AT = "SELECT num_files FROM commits WHERE table_id = :tableId AND version = :version";

    private final CommitPipeline pipeline;
    private final TableRepository rows;
    private final TableEntries tables;
    private final AccessControl access;
    private final PublishRepository publish;
    private final Storages storages;
    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;
    private final StorageRoots roots;

    public TableImporter(
            CommitPipeline pipeline,
            TableRepository rows,
            TableEntries tables,
            AccessControl access,
            PublishRepository publish,
            Storages storages,
            TransactionTemplate transactions,
            JdbcClient jdbc,
            StorageRoots roots) {
        this.roots = requireNonNull(roots, "roots");
        this.pipeline = requireNonNull(pipeline, "pipeline");
        this.rows = requireNonNull(rows, "rows");
        this.tables = requireNonNull(tables, "tables");
        this.access = requireNonNull(access, "access");
        this.publish = requireNonNull(publish, "publish");
        this.storages = requireNonNull(storages, "storages");
        this.transactions = requireNonNull(transactions, "transactions");
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** Adopting a table creates one: needs CREATE_TABLE on the schema; the caller owns it. */
    public TableEntry importTable(ImportTableRequest request) {
        if (request == null) {
            throw InvalidField.problem("body", "is required");
        }
        TableName table = TableName.of(request.catalogName(), request.schemaName(), request.name());
        access.require(table.schemaName().securable(), Privilege.CREATE_TABLE);
        String catalog = table.catalog();
        String schema = table.schema();
        String name = table.name();
        if (request.location() == null || request.location().isBlank()) {
            throw InvalidField.problem("location", "is required");
        }
        // Under a storage root, overlapping no other table, on the local disk and on object stores
        // alike: an import may not adopt a foreign folder or bucket.
        String location = roots.external(request.location());
        Storage storage = storages.forLocation(location);
        DeltaLogReader reader = new DeltaLogReader(storage, location);

        Snapshot snapshot = reader.latest();
        long version = snapshot.getVersion();
        List<FileStatus> commits = reader.commitFiles(version);
        long kernelFiles = reader.liveFiles(snapshot);
        Long lastCheckpoint = lastCheckpoint(storage, location, version);

        transactions.executeWithoutResult(tx -> {
            TableRow row = null;
            boolean inCommitTimestamps = false;
            for (FileStatus file : commits) {
                List<JsonNode> actions = reader.actions(file);
                inCommitTimestamps = inCommitTimestamps(actions, inCommitTimestamps);
                Instant at = timestamp(actions, file, inCommitTimestamps);
                if (row == null) {
                    row = pipeline.commit(new CommitIntent.Create(
                                    new NewTable(catalog, schema, name, location, null, false),
                                    actions,
                                    at,
                                    operation(actions)))
                            .table();
                } else {
                    // read again: an imported metaData may have changed what the next version is checked against
                    row = rows.findById(row.id()).orElseThrow();
                    pipeline.commit(CommitIntent.Next.asWritten(row, row.currentVersion(), actions, at));
                }
            }
            long ours = jdbc.sql(NUM_FILES_AT)
                    .param("tableId", row.id())
                    .param("version", version)
                    .query(Long.class)
                    .single();
            if (ours != kernelFiles) {
                throw new ApiException(
                        ErrorCode.DELTA_LOG_UNREADABLE,
                        "Replaying the log gave " + ours + " live files at version " + version + ", Delta Kernel "
                                + kernelFiles + "; nothing was imported");
            }
            publish.adoptImported(row.id(), row.fullName(), location, version, lastCheckpoint);
        });
        access.makeCallerOwner(table.securable());
        return tables.require(table);
    }

    /**
     * The timestamp the original log's readers see for a version: its in-commit timestamp while the
     * table has In-Commit Timestamps enabled, else the commit file's modification time (what Delta
     * readers use then, whatever commitInfo.timestamp says).
     */
    private static Instant timestamp(List<JsonNode> actions, FileStatus file, boolean inCommitTimestamps) {
        if (inCommitTimestamps) {
            for (JsonNode action : actions) {
                JsonNode ict = action.path("commitInfo").get("inCommitTimestamp");
                if (ict != null && ict.canConvertToLong()) {
                    return Instant.ofEpochMilli(ict.asLong());
                }
            }
        }
        return Instant.ofEpochMilli(file.getModificationTime());
    }

    /** Whether In-Commit Timestamps are enabled from this version on (its metaData decides). */
    private static boolean inCommitTimestamps(List<JsonNode> actions, boolean before) {
        for (JsonNode action : actions) {
            JsonNode enabled = action.path("metaData").path("configuration").get("delta.enableInCommitTimestamps");
            if (action.has("metaData")) {
                return enabled != null && "true".equalsIgnoreCase(enabled.asString());
            }
        }
        return before;
    }

    private static String operation(List<JsonNode> actions) {
        for (JsonNode action : actions) {
            JsonNode op = action.path("commitInfo").get("operation");
            if (op != null && op.isString()) {
                return op.stringValue();
            }
        }
        return "IMPORT";
    }

    private static Long lastCheckpoint(Storage storage, String location, long version) {
        try {
            OptionalLong newest = storage.list(storage.resolve(location, DeltaLogNames.LOG_DIR)).stream()
                    .map(DeltaLogNames::checkpointVersion)
                    .filter(OptionalLong::isPresent)
                    .mapToLong(OptionalLong::getAsLong)
                    .filter(v -> v <= version)
                    .max();
            return newest.isPresent() ? newest.getAsLong() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
