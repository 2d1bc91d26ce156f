package io.deltaplane.metadata.unity.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.LogAppender;
import io.deltaplane.metadata.publish.DeltaLogNames;
import io.deltaplane.metadata.publish.PublishRepository;
import io.deltaplane.metadata.publish.PublishRepository.CommitRow;
import io.deltaplane.metadata.publish.PublishState;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaCommit;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.LoadTableResponse;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.UpdateTableRequest;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(CommitRatifier.class);

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
    private final PublishRepository publish;
    private final Storages storages;
    private final TransactionTemplate tx;

    public CommitRatifier(
            TableRepository tables,
            DeltaRestService service,
            CatalogManagedTables managed,
            LogAppender appender,
            PublishRepository publish,
            Storages storages,
            TransactionTemplate tx) {
        this.tables = requireNonNull(tables, "tables");
        this.service = requireNonNull(service, "service");
        this.managed = requireNonNull(managed, "managed");
        this.appender = requireNonNull(appender, "appender");
        this.publish = requireNonNull(publish, "publish");
        this.storages = requireNonNull(storages, "storages");
        this.tx = requireNonNull(tx, "tx");
    }

    public LoadTableResponse update(String catalog, String schema, String name, UpdateTableRequest request) {
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
        OptionalLong named = DeltaLogNames.stagedCommitVersion(commit.fileName());
        if (named.isEmpty() || named.getAsLong() != commit.version()) {
            throw invalid("commit.file-name must be <20-digit version>.<uuid>.json for version " + commit.version()
                    + " (a bare name under _delta_log/_staged_commits/)");
        }
        if (commit.version() <= table.currentVersion()) {
            if (sameCommit(table, commit)) {
                return; // a retry of a commit that landed
            }
            throw MetadataErrors.versionConflict(table.fullName(), commit.version() - 1, table.currentVersion());
        }
        if (commit.version() > table.currentVersion() + 1) {
            throw invalid("commit version " + commit.version() + " is not the next version: the latest is "
                    + table.currentVersion());
        }
        List<JsonNode> actions = service.read(table.location(), DeltaLogNames.stagedCommit(commit.fileName()))
                .orElseThrow(
                        () -> invalid("staged commit " + commit.fileName() + " is not in _delta_log/_staged_commits"));
        long ict = DeltaRestService.inCommitTimestamp(actions)
                .orElseThrow(() -> invalid("a catalog-managed commit needs commitInfo.inCommitTimestamp"));
        DeltaCommit ratified = new DeltaCommit(
                commit.version(), ict, commit.fileName(), commit.fileSize(), commit.fileModificationTimestamp());
        try {
            tx.executeWithoutResult(status -> {
                appender.append(table.id(), commit.version() - 1, actions, Instant.ofEpochMilli(ict));
                managed.recordCommit(table.id(), ratified);
            });
        } catch (ApiException | DuplicateKeyException e) {
            if (sameCommit(table, commit)) {
                return; // the same file, ratified by a concurrent retry
            }
            if (e instanceof DuplicateKeyException) {
                throw MetadataErrors.versionConflict(table.fullName(), commit.version() - 1, commit.version());
            }
            throw e;
        }
        publishThrough(table, commit.version());
    }

    private boolean sameCommit(TableRow table, DeltaCommit commit) {
        return managed.commit(table.id(), commit.version())
                .map(c -> c.fileName().equals(commit.fileName()))
                .orElse(false);
    }

    /**
     * Writes {@code <v>.json} for every version up to {@code version} not yet published, in order.
     * A store that fails here is not the engine's problem: the commit is ratified, load serves it
     * from its staged file, and the background publisher writes it when the store is back.
     */
    private void publishThrough(TableRow table, long version) {
        long published =
                publish.state(table.id()).map(PublishState::publishedVersion).orElse(-1L);
        try {
            Storage storage = storages.forLocation(table.location());
            for (CommitRow row : publish.commits(table.id(), published + 1, version)) {
                String path = storage.resolve(table.location(), DeltaLogNames.commitFile(row.version()));
                byte[] content = row.content(storage, table.location());
                if (!storage.putIfAbsent(path, content)) {
                    Optional<byte[]> existing = storage.read(path);
                    if (existing.isEmpty() || !Arrays.equals(existing.get(), content)) {
                        log.warn("{} of {} exists with other content; the publisher will report it", path, table);
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Publishing {} through version {} failed; the publisher retries", table.fullName(), version, e);
        }
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
