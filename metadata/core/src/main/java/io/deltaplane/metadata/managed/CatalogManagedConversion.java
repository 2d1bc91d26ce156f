package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.CommitIntent;
import io.deltaplane.metadata.commit.CommitPipeline;
import io.deltaplane.metadata.commit.CommitResponse;
import io.deltaplane.metadata.deltalog.DeltaLogNames;
import io.deltaplane.metadata.managed.CatalogManagedTables.StagedTable;
import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Makes an existing table catalog-managed: one commit that adds the {@code catalogManaged} feature
 * (with {@code vacuumProtocolCheck}; In-Commit Timestamps must already be on) and names the
 * table's UC id ({@code io.unitycatalog.tableId}, the table's own id). From then on engines commit
 * through the Delta REST API, and {@code /api/v1} commits go on as before (the platform is the
 * catalog). The protocol has no way back (a catalog-managed table cannot drop the feature), so the
 * reverse is refused. Needs ownership or MANAGE on the table (served by the {@code /api/v1} door's
 * {@code api.managed.CatalogManagedController}).
 */
@Service
public class CatalogManagedConversion {

    static final String LEGACY_WRITER_FEATURES_2 = "appendOnly,invariants";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The version that made the table catalog-managed, and its UC id. */
    public record Converted(String fullName, long version, String tableId) {}

    private final TableRepository tables;
    private final CommitPipeline pipeline;
    private final CatalogManagedTables managed;
    private final AccessControl access;
    private final TransactionTemplate tx;
    private final Clock clock;

    public CatalogManagedConversion(
            TableRepository tables,
            CommitPipeline pipeline,
            CatalogManagedTables managed,
            AccessControl access,
            TransactionTemplate tx,
            Clock clock) {
        this.tables = requireNonNull(tables, "tables");
        this.pipeline = requireNonNull(pipeline, "pipeline");
        this.managed = requireNonNull(managed, "managed");
        this.access = requireNonNull(access, "access");
        this.tx = requireNonNull(tx, "tx");
        this.clock = requireNonNull(clock, "clock");
    }

    public Converted convert(String fullName) {
        access.requireManage(Securable.table(fullName));
        TableRow table = tables.require(fullName);
        JsonNode protocol = JSON.readTree(tables.currentProtocol(table.id()));
        if (features(protocol, "writerFeatures").contains(StagedCommitRules.CATALOG_MANAGED)) {
            throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, fullName + " is catalog-managed already");
        }
        ObjectNode metadata = (ObjectNode) JSON.readTree(tables.currentMetadata(table.id()));
        if (!"true"
                .equals(metadata.path("configuration")
                        .path("delta.enableInCommitTimestamps")
                        .asString(""))) {
            throw ApiException.conflict(
                    ErrorCode.UNSUPPORTED_DELTA_PROTOCOL,
                    fullName + " has no In-Commit Timestamps, which catalog-managed tables need; tables created"
                            + " on the platform have them (delta.enableInCommitTimestamps=true)");
        }
        ((ObjectNode) metadata.path("configuration"))
                .put(StagedCommitRules.UNITY_TABLE_ID, table.id().toString());
        ObjectNode commitInfo = JsonNodeFactory.instance.objectNode();
        commitInfo.put("operation", "SET TBLPROPERTIES");
        List<JsonNode> actions = List.of(
                wrap("commitInfo", commitInfo), wrap("protocol", upgraded(protocol)), wrap("metaData", metadata));
        // One transaction: the version and the table's registration as catalog-managed.
        CommitResponse committed = tx.execute(status -> {
            CommitResponse response = pipeline.commit(CommitIntent.Next.byThePlatform(
                            table, table.currentVersion(), actions, clock.instant(), null))
                    .response();
            managed.stage(
                    new StagedTable(
                            table.id(), table.catalog(), table.schema(), table.name(), table.location(), null, null),
                    clock.instant());
            managed.finalized(table.id(), table.id());
            return response;
        });
        stagedCommitsDirectory(table.location());
        return new Converted(fullName, committed.version(), table.id().toString());
    }

    /**
     * Engines stage commits in {@code _delta_log/_staged_commits/}; Kernel makes it when it creates
     * a table, not when it finds one. On an object store a prefix needs no making.
     */
    static void stagedCommitsDirectory(String location) {
        if (TableLocations.isObjectStore(location)) {
            return;
        }
        try {
            java.nio.file.Files.createDirectories(
                    TableLocations.path(location).resolve(DeltaLogNames.STAGED_COMMITS_DIR));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public void revert(String fullName) {
        access.requireManage(Securable.table(fullName));
        tables.require(fullName);
        throw new ApiException(
                HttpStatus.CONFLICT,
                ErrorCode.UNSUPPORTED_DELTA_PROTOCOL,
                "The Delta protocol has no way to drop catalogManaged from a table: it stays catalog-managed."
                        + " Copy it to a new table to have one without the catalog.");
    }

    /** The protocol with catalogManaged: table features (3, 7), the legacy versions' features kept. */
    static ObjectNode upgraded(JsonNode protocol) {
        Set<String> readers = features(protocol, "readerFeatures");
        Set<String> writers = features(protocol, "writerFeatures");
        int writerVersion = protocol.path("minWriterVersion").asInt();
        if (writerVersion < 7 && writerVersion >= 2) {
            writers.addAll(List.of(LEGACY_WRITER_FEATURES_2.split(",")));
        }
        if (writerVersion < 7 && writerVersion > 2) {
            throw MetadataErrors.invalidAction("protocol writer version " + writerVersion
                    + " implies features this platform does not implement; cannot add catalogManaged");
        }
        readers.add(StagedCommitRules.CATALOG_MANAGED);
        readers.add("vacuumProtocolCheck");
        writers.add(StagedCommitRules.CATALOG_MANAGED);
        writers.add("vacuumProtocolCheck");
        writers.add(StagedCommitRules.IN_COMMIT_TIMESTAMP);
        ObjectNode upgraded = JsonNodeFactory.instance.objectNode();
        upgraded.put("minReaderVersion", 3);
        upgraded.put("minWriterVersion", 7);
        ArrayNode r = upgraded.putArray("readerFeatures");
        readers.forEach(r::add);
        ArrayNode w = upgraded.putArray("writerFeatures");
        writers.forEach(w::add);
        return upgraded;
    }

    private static Set<String> features(JsonNode protocol, String list) {
        Set<String> features = new LinkedHashSet<>();
        protocol.path(list).forEach(f -> features.add(f.asString()));
        return features;
    }

    private static ObjectNode wrap(String kind, JsonNode body) {
        ObjectNode action = JsonNodeFactory.instance.objectNode();
        action.set(kind, body);
        return action;
    }
}
