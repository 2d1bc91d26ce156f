package io.deltaplane.metadata.unity.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.LogAppender;
import io.deltaplane.metadata.commit.StagedCommits;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaCommit;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaLoadTableResponse;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaUpdateTableRequest;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Ratifies an engine's staged commit ({@code add-commit}): reads
 * {@code _delta_log/_staged_commits/<file>}, validates and writes it as the table's next version
 * through {@link LogAppender} (the same Delta rules and the same {@code CommitWriter} as {@code
 * /api/v1} commits), records which file it came from, and publishes {@code <version>.json} — a copy
 * of the staged file — before answering, so a writer that loses a race finds the winner published
 * (Kernel rebases only onto published commits). Version {@code v} is ratified only after {@code
 * v-1}, and at most once: the same file again is a no-op (clients retry), another file a 409.
 */
@Service
public class CommitRatifier {

    /** Updates that describe what the staged commit itself carries (its metaData, protocol, domains). */
    static final Set<String> DESCRIBED_BY_COMMIT = Set.of(
            "set-properties",
            "remove-properties",
            "set-columns",
            "set-partition-columns",
            "set-table-comment",
            "set-protocol",
            "set-domain-metadata",
            "remove-domain-metadata");

    private final TableRepository tables;
    private final DeltaRestService service;
    private final CatalogManagedTables managed;
    private final LogAppender appender;
    private final StagedCommitFiles files;
    private final TransactionTemplate tx;

    public CommitRatifier(
            TableRepository tables,
            DeltaRestService service,
            CatalogManagedTables managed,
            LogAppender appender,
            StagedCommitFiles files,
            TransactionTemplate tx) {
        this.tables = requireNonNull(tables, "tables");
        this.service = requireNonNull(service, "service");
        this.managed = requireNonNull(managed, "managed");
        this.appender = requireNonNull(appender, "appender");
        this.files = requireNonNull(files, "files");
        this.tx = requireNonNull(tx, "tx");
    }

    public DeltaLoadTableResponse update(String catalog, String schema, String name, DeltaUpdateTableRequest request) {
        String fullName = catalog + "." + schema + "." + name;
        TableRow table = tables.find(catalog, schema, name).orElseThrow(() -> MetadataErrors.tableNotFound(fullName));
        checkRequirements(table, request.requirements() == null ? List.of() : request.requirements());
        JsonNode addCommit = null;
        Long backfilled = null;
        boolean describesCommit = false;
        for (JsonNode update : request.updates() == null ? List.<JsonNode>of() : request.updates()) {
            String action = update == null ? "" : update.path("action").asString("");
            switch (action) {
                case "add-commit" -> addCommit = update.get("commit");
                case "set-latest-backfilled-version" -> backfilled = requiredLong(update, "latest-published-version");
                default -> {
                    if (!DESCRIBED_BY_COMMIT.contains(action)) {
                        throw invalid("updates: unknown action '" + action + "'");
                    }
                    describesCommit = true;
                }
            }
        }
        if (describesCommit && addCommit == null) {
            throw invalid("updates: metadata, protocol and domain changes come with the add-commit that makes them");
        }
        if (addCommit != null) {
            ratify(table, commit(addCommit));
            table = tables.findById(table.id()).orElseThrow(() -> MetadataErrors.tableNotFound(fullName));
        }
        checkBackfilled(table, backfilled);
        return service.load(table);
    }

    /** An engine's claim of what it published may not run ahead of what was ratified. */
    static void checkBackfilled(TableRow table, Long backfilled) {
        if (backfilled != null && (backfilled < -1 || backfilled > table.currentVersion())) {
            throw invalid("latest published version " + backfilled + " is not between -1 and the latest version "
                    + table.currentVersion());
        }
    }

    private void checkRequirements(TableRow table, List<JsonNode> requirements) {
        for (JsonNode requirement : requirements) {
            String type = requirement == null ? "" : requirement.path("type").asString("");
            switch (type) {
                case "assert-table-uuid" -> {
                    String uuid = requirement.path("uuid").asString("");
                    if (!service.unityId(table).toString().equals(uuid)) {
                        throw requirementConflict("the table's uuid is " + service.unityId(table) + ", not " + uuid);
                    }
                }
                case "assert-etag" -> {
                    String etag = requirement.path("etag").asString("");
                    if (!("v" + table.currentVersion()).equals(etag)) {
                        throw requirementConflict("the table's etag is v" + table.currentVersion() + ", not " + etag);
                    }
                }
                default -> throw invalid("requirements: unknown type '" + type + "'");
            }
        }
    }

    /**
     * Ratifies one staged commit as the table's next version and publishes it (see the class);
     * returns quietly for a retry of a commit that landed.
     */
    public void ratify(TableRow table, DeltaCommit commit) {
        if (commit.version() <= table.currentVersion()) {
            if (sameCommit(table, commit)) {
                files.publish(table, commit.version()); // a retry of a commit that landed
                return;
            }
            throw conflict(table, commit);
        }
        if (commit.version() > table.currentVersion() + 1) {
            throw invalid("commit version " + commit.version() + " is not the next version: the latest is "
                    + table.currentVersion());
        }
        StagedCommits.Staged staged = files.read(table, commit.version(), commit.fileName());
        long ict = staged.inCommitTimestamp();
        List<JsonNode> actions = staged.actions();
        DeltaCommit ratified = new DeltaCommit(
                commit.version(), ict, commit.fileName(), commit.fileSize(), commit.fileModificationTimestamp());
        try {
            tx.executeWithoutResult(status -> {
                appender.append(table.id(), commit.version() - 1, actions, Instant.ofEpochMilli(ict));
                managed.recordCommit(table.id(), ratified);
            });
        } catch (ApiException | DuplicateKeyException e) {
            if (sameCommit(table, commit)) {
                files.publish(table, commit.version()); // the same file, ratified by a concurrent retry
                return;
            }
            if (e instanceof DuplicateKeyException
                    || (e instanceof ApiException api
                            && ErrorCode.VERSION_CONFLICT.code().equals(api.errorCode()))) {
                throw conflict(table, commit);
            }
            throw e;
        }
        files.publish(table, commit.version());
    }

    /**
     * The 409 for a version another writer took. Before a writer hears it lost, the winners are in
     * {@code _delta_log}: Kernel resolves a conflict from the published files alone, and a winner
     * whose own request has not yet written its {@code <v>.json} would leave the loser retrying the
     * same version ("should be greater than the previous commit attempt"). The copy is the same
     * bytes whoever writes it.
     */
    private ApiException conflict(TableRow table, DeltaCommit commit) {
        TableRow now = tables.findById(table.id()).orElse(table);
        files.publish(now, now.currentVersion());
        return MetadataErrors.versionConflict(table.fullName(), commit.version() - 1, now.currentVersion());
    }

    private boolean sameCommit(TableRow table, DeltaCommit commit) {
        return managed.commit(table.id(), commit.version())
                .map(c -> c.fileName().equals(commit.fileName()))
                .orElse(false);
    }

    private static DeltaCommit commit(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw invalid("add-commit needs a commit object");
        }
        String fileName = node.path("file-name").asString("");
        if (fileName.isEmpty()) {
            throw invalid("commit.file-name is required");
        }
        return new DeltaCommit(
                requiredLong(node, "version"),
                requiredLong(node, "timestamp"),
                fileName,
                requiredLong(node, "file-size"),
                requiredLong(node, "file-modification-timestamp"));
    }

    private static long requiredLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToLong() || !value.isIntegralNumber()) {
            throw invalid(field + " must be an integer");
        }
        return value.asLong();
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest(ErrorCode.VALIDATION_FAILED, detail);
    }

    private static ApiException requirementConflict(String detail) {
        return ApiException.conflict(ErrorCode.REQUIREMENT_CONFLICT, detail);
    }
}
