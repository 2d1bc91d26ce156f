package io.deltaplane.metadata.unity.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.managed.CatalogCommit;
import io.deltaplane.metadata.managed.CatalogTable;
import io.deltaplane.metadata.managed.StagedCommitRatifier;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaLoadTableResponse;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaUpdateTableRequest;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import io.deltaplane.support.problem.InvalidField;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * Unity Catalog's Delta REST {@code updateTable}: its requirements ({@code assert-table-uuid},
 * {@code assert-etag}) and updates mapped onto the one staged-commit entry, {@link
 * StagedCommitRatifier}. Metadata, protocol and domain updates describe what the staged commit
 * itself carries, so they come only with an {@code add-commit}.
 */
@Service
public class DeltaTableUpdates {

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

    private final DeltaRestService service;
    private final StagedCommitRatifier ratifier;

    public DeltaTableUpdates(DeltaRestService service, StagedCommitRatifier ratifier) {
        this.service = requireNonNull(service, "service");
        this.ratifier = requireNonNull(ratifier, "ratifier");
    }

    public DeltaLoadTableResponse update(String catalog, String schema, String name, DeltaUpdateTableRequest request) {
        // the table and its registration, read once: every step below carries them
        CatalogTable target = service.catalogTable(catalog, schema, name);
        checkRequirements(target, request.requirements() == null ? List.of() : request.requirements());
        JsonNode addCommit = null;
        Long backfilled = null;
        boolean describesCommit = false;
        List<JsonNode> updates = request.updates() == null ? List.of() : request.updates();
        for (int i = 0; i < updates.size(); i++) {
            JsonNode update = updates.get(i);
            String action = update == null ? "" : update.path("action").asString("");
            switch (action) {
                case "add-commit" -> addCommit = commitOf(update, i);
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
        OptionalLong published = OptionalLong.empty();
        if (addCommit != null) {
            StagedCommitRatifier.Ratified ratified = ratifier.ratify(target, commit(addCommit));
            target = ratified.table();
            published = ratified.publishedVersion();
        }
        checkBackfilled(target.table(), backfilled);
        return service.load(target, published);
    }

    /** An engine's claim of what it published may not run ahead of what was ratified. */
    static void checkBackfilled(TableRow table, Long backfilled) {
        if (backfilled != null && (backfilled < -1 || backfilled > table.currentVersion())) {
            throw invalid("latest published version " + backfilled + " is not between -1 and the latest version "
                    + table.currentVersion());
        }
    }

    private void checkRequirements(CatalogTable target, List<JsonNode> requirements) {
        TableRow table = target.table();
        for (JsonNode requirement : requirements) {
            String type = requirement == null ? "" : requirement.path("type").asString("");
            switch (type) {
                case "assert-table-uuid" -> {
                    String uuid = requirement.path("uuid").asString("");
                    if (!target.unityId().toString().equals(uuid)) {
                        throw requirementConflict("the table's uuid is " + target.unityId() + ", not " + uuid);
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
     * An add-commit's {@code commit}. Required: without it the update would be skipped and the
     * engine answered as if its commit had landed.
     */
    private static JsonNode commitOf(JsonNode update, int index) {
        JsonNode commit = update.get("commit");
        String field = "updates[" + index + "].commit";
        if (commit == null || commit.isNull()) {
            throw InvalidField.problem(field, "is required: an add-commit carries the staged commit it ratifies");
        }
        if (!commit.isObject()) {
            throw InvalidField.problem(field, "must be an object (version, file-name, …)");
        }
        return commit;
    }

    private static CatalogCommit commit(JsonNode node) {
        String fileName = node.path("file-name").asString("");
        if (fileName.isEmpty()) {
            throw invalid("commit.file-name is required");
        }
        return new CatalogCommit(
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
